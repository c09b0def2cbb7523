package wireformat

import (
	"errors"

	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
)

// Step 2: a whole Employee with google.golang.org/protobuf/encoding/protowire.
// Step 3 comes back here to keep the fields this version does not know.

// MarshalEmployee encodes e with protowire, field by field in number order,
// leaving out zero values: the same bytes as deterministic proto.Marshal.
// Strings that are not UTF-8 are an error.
//
// Step 3: fields it does not know (kept by UnmarshalEmployee in
// e.ProtoReflect().GetUnknown()) go last, unchanged.
func MarshalEmployee(e *employeepb.Employee) ([]byte, error) {
	return nil, errors.New("step 2: MarshalEmployee is not implemented yet")
}

// UnmarshalEmployee decodes an Employee with protowire, reading fields in a
// loop in whatever order they come. It never trusts a length it reads: a
// truncated varint, a length past the end of b, an invalid key or invalid
// UTF-8 is an error naming the byte where it starts. Fields it does not
// know are skipped.
//
// Step 3: instead of dropping the fields it does not know, including a
// known number with an unexpected wire type, keep them as proto.Unmarshal
// does, and hand them to e.ProtoReflect().SetUnknown.
func UnmarshalEmployee(b []byte) (*employeepb.Employee, error) {
	return nil, errors.New("step 2: UnmarshalEmployee is not implemented yet")
}
