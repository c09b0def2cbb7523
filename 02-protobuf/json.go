package wireformat

import (
	"errors"

	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
)

// Step 4: the JSON mapping, with google.golang.org/protobuf/encoding/protojson.

// EmployeeToJSON writes e in protobuf's JSON mapping: camelCase names,
// int64 as a string, enums by name, and every field, even a zero one, so
// that a reader in a browser sees the whole shape.
func EmployeeToJSON(e *employeepb.Employee) ([]byte, error) {
	return nil, errors.New("step 4: EmployeeToJSON is not implemented yet")
}

// EmployeeFromJSON reads an Employee from protobuf's JSON mapping. It
// skips fields it does not know, so that an older program reads a newer
// one's JSON, as it does with the binary format.
func EmployeeFromJSON(b []byte) (*employeepb.Employee, error) {
	return nil, errors.New("step 4: EmployeeFromJSON is not implemented yet")
}
