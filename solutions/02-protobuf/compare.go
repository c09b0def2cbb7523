package wireformat

import (
	"encoding/json"

	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// A Codec turns an Employee into bytes and back in one format.
type Codec struct {
	Name      string
	Marshal   func(*employeepb.Employee) ([]byte, error)
	Unmarshal func([]byte) (*employeepb.Employee, error)
}

// Codecs returns the formats that step 5 compares, in this order: "fixed"
// (chapter 01's style, handformat.go), "protobuf" (proto.Marshal),
// "protojson" and "encoding/json".
func Codecs() ([]Codec, error) {
	return []Codec{
		{Name: "fixed", Marshal: MarshalFixed, Unmarshal: UnmarshalFixed},
		{
			Name:    "protobuf",
			Marshal: func(e *employeepb.Employee) ([]byte, error) { return proto.Marshal(e) },
			Unmarshal: func(b []byte) (*employeepb.Employee, error) {
				e := &employeepb.Employee{}
				return e, proto.Unmarshal(b, e)
			},
		},
		{
			Name:    "protojson",
			Marshal: func(e *employeepb.Employee) ([]byte, error) { return protojson.Marshal(e) },
			Unmarshal: func(b []byte) (*employeepb.Employee, error) {
				e := &employeepb.Employee{}
				return e, protojson.Unmarshal(b, e)
			},
		},
		{
			Name:    "encoding/json",
			Marshal: func(e *employeepb.Employee) ([]byte, error) { return json.Marshal(e) },
			Unmarshal: func(b []byte) (*employeepb.Employee, error) {
				e := &employeepb.Employee{}
				return e, json.Unmarshal(b, e)
			},
		},
	}, nil
}
