package wireformat

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// maxVarintLen is the longest varint: 64 bits in groups of 7 need 10 bytes.
const maxVarintLen = 10

// appendVarint appends v as a base-128 varint: 7 bits per byte, the least
// significant group first, the high bit set on every byte but the last.
func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// ConsumeVarint reads one varint from the start of b and returns its value
// and how many bytes it took.
func ConsumeVarint(b []byte) (v uint64, n int, err error) {
	for i, c := range b {
		if i == maxVarintLen-1 && c > 1 {
			return 0, 0, errors.New("varint overflows 64 bits: its 10th byte must be 0 or 1")
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1, nil
		}
	}
	if len(b) == 0 {
		return 0, 0, errors.New("truncated varint: no bytes at all")
	}
	return 0, 0, fmt.Errorf("truncated varint: its %d bytes all have the high bit set, so more should follow", len(b))
}

// checkKey reports whether num and typ can form a field key.
func checkKey(num protowire.Number, typ protowire.Type) error {
	if num < protowire.MinValidNumber || num > protowire.MaxValidNumber {
		return fmt.Errorf("field number %d is outside 1..%d", num, protowire.MaxValidNumber)
	}
	if typ > protowire.Fixed32Type {
		return fmt.Errorf("wire type %d does not exist (0 to 5 do)", typ)
	}
	return nil
}

// AppendKey appends the key that starts every field on the wire: the
// varint field_number<<3 | wire_type.
func AppendKey(b []byte, num protowire.Number, typ protowire.Type) ([]byte, error) {
	if err := checkKey(num, typ); err != nil {
		return b, err
	}
	return appendVarint(b, uint64(num)<<3|uint64(typ)), nil
}

// ConsumeKey reads a field key from the start of b and returns its field
// number, its wire type and how many bytes it took.
func ConsumeKey(b []byte) (num protowire.Number, typ protowire.Type, n int, err error) {
	v, n, err := ConsumeVarint(b)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("field key: %w", err)
	}
	if v>>3 > uint64(protowire.MaxValidNumber) {
		return 0, 0, 0, fmt.Errorf("field key: field number %d is outside 1..%d", v>>3, protowire.MaxValidNumber)
	}
	num, typ = protowire.Number(v>>3), protowire.Type(v&7)
	if err := checkKey(num, typ); err != nil {
		return 0, 0, 0, fmt.Errorf("field key: %w", err)
	}
	return num, typ, n, nil
}

// AppendVarintField appends a field of wire type 0 (varint): its key, then v.
func AppendVarintField(b []byte, num protowire.Number, v uint64) ([]byte, error) {
	b, err := AppendKey(b, num, protowire.VarintType)
	if err != nil {
		return b, err
	}
	return appendVarint(b, v), nil
}

// AppendStringField appends a field of wire type 2 (length-delimited): its
// key, the length of s as a varint, then the bytes of s. Protocol buffers
// strings are UTF-8; anything else is refused.
func AppendStringField(b []byte, num protowire.Number, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return b, fmt.Errorf("field %d: string %q is not valid UTF-8", num, s)
	}
	b, err := AppendKey(b, num, protowire.BytesType)
	if err != nil {
		return b, err
	}
	b = appendVarint(b, uint64(len(s)))
	return append(b, s...), nil
}

// MarshalHelloRequest encodes helloworld.HelloRequest{name: name} by hand,
// the same bytes as proto.Marshal. Its only field is string name = 1; in
// proto3 an empty string is the default and is not written at all.
func MarshalHelloRequest(name string) ([]byte, error) {
	if name == "" {
		return []byte{}, nil
	}
	return AppendStringField(nil, 1, name)
}
