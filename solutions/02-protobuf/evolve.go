package wireformat

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// FieldsOnWire lists the field number of every field in an encoded
// message, in the order they appear: what is really on the wire, whatever
// the schema says.
func FieldsOnWire(b []byte) ([]protowire.Number, error) {
	nums := []protowire.Number{}
	for off := 0; off < len(b); {
		num, typ, n := protowire.ConsumeTag(b[off:])
		if n < 0 {
			return nil, fmt.Errorf("byte %d: field key: %w", off, parseError(n))
		}
		off += n
		n = protowire.ConsumeFieldValue(num, typ, b[off:])
		if n < 0 {
			return nil, fmt.Errorf("byte %d: field %d: %w", off, num, parseError(n))
		}
		off += n
		nums = append(nums, num)
	}
	return nums, nil
}

// BreakingChanges compares two versions of a message and lists the changes
// that make old and new programs misread each other's bytes. Field numbers
// are the contract: renaming a field is safe, while renumbering it,
// changing its type, or removing it without reserving its number is not.
func BreakingChanges(old, new protoreflect.MessageDescriptor) ([]string, error) {
	if old == nil || new == nil {
		return nil, errors.New("BreakingChanges needs two message descriptors, got nil")
	}
	problems := []string{}
	fields := old.Fields()
	for i := range fields.Len() {
		f := fields.Get(i)
		same := new.Fields().ByNumber(f.Number())
		switch {
		case same == nil && !new.ReservedRanges().Has(f.Number()):
			problems = append(problems, fmt.Sprintf(
				"field %d (%s) was removed without reserving its number: add reserved %d; so no one reuses it",
				f.Number(), f.Name(), f.Number()))
		case same != nil && (same.Kind() != f.Kind() || same.Cardinality() != f.Cardinality()):
			problems = append(problems, fmt.Sprintf(
				"field %d (%s) changed type from %s to %s: old readers misread its bytes",
				f.Number(), f.Name(), typeName(f), typeName(same)))
		}
		if moved := new.Fields().ByName(f.Name()); moved != nil && moved.Number() != f.Number() {
			problems = append(problems, fmt.Sprintf(
				"field %s was renumbered from %d to %d: old and new programs put it under different numbers",
				f.Name(), f.Number(), moved.Number()))
		}
	}
	return problems, nil
}

// typeName names a field's type as a .proto file writes it, e.g. "int64"
// or "repeated string".
func typeName(f protoreflect.FieldDescriptor) string {
	if f.IsList() {
		return "repeated " + f.Kind().String()
	}
	return f.Kind().String()
}
