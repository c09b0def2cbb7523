package wireformat

import (
	"errors"

	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
)

// Step 5: compare the formats.

// A Codec turns an Employee into bytes and back in one format.
type Codec struct {
	Name      string
	Marshal   func(*employeepb.Employee) ([]byte, error)
	Unmarshal func([]byte) (*employeepb.Employee, error)
}

// Codecs returns the formats that step 5 compares, in this order: "fixed"
// (chapter 01's style, MarshalFixed and UnmarshalFixed in handformat.go),
// "protobuf" (proto.Marshal), "protojson" and "encoding/json".
func Codecs() ([]Codec, error) {
	return nil, errors.New("step 5: Codecs is not implemented yet")
}
