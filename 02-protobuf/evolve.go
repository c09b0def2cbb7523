package wireformat

import (
	"errors"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Step 3: unknown fields and schema evolution. Also finish the step 3 parts
// of MarshalEmployee and UnmarshalEmployee in employee.go.

// FieldsOnWire lists the field number of every field in an encoded
// message, in the order they appear: what is really on the wire, whatever
// the schema says. An empty message gives an empty, non-nil list; a broken
// one gives an error.
func FieldsOnWire(b []byte) ([]protowire.Number, error) {
	return nil, errors.New("step 3: FieldsOnWire is not implemented yet")
}

// BreakingChanges compares two versions of a message and lists, one
// sentence each, the changes that make old and new programs misread each
// other's bytes (an empty, non-nil list when there are none). Field
// numbers are the contract: renaming a field is safe, while renumbering
// it, changing its type, or removing it without reserving its number is
// not. It returns an error when old or new is nil.
func BreakingChanges(old, new protoreflect.MessageDescriptor) ([]string, error) {
	return nil, errors.New("step 3: BreakingChanges is not implemented yet")
}
