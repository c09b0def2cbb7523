package wireformat

import (
	"errors"

	"google.golang.org/protobuf/encoding/protowire"
)

// Step 1: keys and varints, by hand. Use only the protowire types
// (protowire.Number, protowire.Type and their constants) here, not its
// functions: the point is to write the bytes yourself. A helper
// appendVarint(b []byte, v uint64) []byte will serve every function below.

// ConsumeVarint reads one varint from the start of b and returns its value
// and how many bytes it took. A varint sends 7 bits per byte, the least
// significant group first; every byte but the last has its high bit (0x80)
// set. It returns an error for a truncated varint (b ends while the high
// bit still promises more) and for one that overflows 64 bits (more than
// 10 bytes, or a 10th byte above 1).
func ConsumeVarint(b []byte) (v uint64, n int, err error) {
	return 0, 0, errors.New("step 1: ConsumeVarint is not implemented yet")
}

// AppendKey appends the key that starts every field on the wire: the
// varint field_number<<3 | wire_type. It returns an error for a field
// number outside 1..protowire.MaxValidNumber or a wire type above 5.
func AppendKey(b []byte, num protowire.Number, typ protowire.Type) ([]byte, error) {
	return b, errors.New("step 1: AppendKey is not implemented yet")
}

// ConsumeKey reads a field key from the start of b and returns its field
// number, its wire type and how many bytes it took, or an error for a
// broken varint, field number 0 or above protowire.MaxValidNumber, or wire
// type 6 or 7.
func ConsumeKey(b []byte) (num protowire.Number, typ protowire.Type, n int, err error) {
	return 0, 0, 0, errors.New("step 1: ConsumeKey is not implemented yet")
}

// AppendVarintField appends a field of wire type 0 (varint): its key, then v.
func AppendVarintField(b []byte, num protowire.Number, v uint64) ([]byte, error) {
	return b, errors.New("step 1: AppendVarintField is not implemented yet")
}

// AppendStringField appends a field of wire type 2 (length-delimited): its
// key, the length of s as a varint, then the bytes of s. Protocol buffers
// strings are UTF-8; anything else is refused with an error.
func AppendStringField(b []byte, num protowire.Number, s string) ([]byte, error) {
	return b, errors.New("step 1: AppendStringField is not implemented yet")
}

// MarshalHelloRequest encodes helloworld.HelloRequest{name: name} by hand,
// the same bytes as proto.Marshal. Its only field is string name = 1; in
// proto3 an empty string is the default and is not written at all.
func MarshalHelloRequest(name string) ([]byte, error) {
	return nil, errors.New("step 1: MarshalHelloRequest is not implemented yet")
}
