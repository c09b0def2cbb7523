package wireformat

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"google.golang.org/protobuf/encoding/protowire"
)

// The field numbers of employee.proto: the contract between every program
// that reads or writes an Employee.
const (
	fieldID       protowire.Number = 1
	fieldFullName protowire.Number = 2
	fieldEmail    protowire.Number = 3
	fieldTitle    protowire.Number = 4
	fieldRole     protowire.Number = 5
	fieldSkills   protowire.Number = 6
)

// MarshalEmployee encodes e with protowire, field by field in number order,
// leaving out zero values: the same bytes as deterministic proto.Marshal.
// Strings that are not UTF-8 are an error.
//
// Step 3: fields it does not know (kept by UnmarshalEmployee in
// e.ProtoReflect().GetUnknown()) go last, unchanged.
func MarshalEmployee(e *employeepb.Employee) ([]byte, error) {
	var b []byte
	if e.GetId() != 0 {
		b = protowire.AppendTag(b, fieldID, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(e.GetId()))
	}
	texts := []struct {
		num protowire.Number
		s   string
	}{
		{fieldFullName, e.GetFullName()},
		{fieldEmail, e.GetEmail()},
		{fieldTitle, e.GetTitle()},
	}
	for _, f := range texts {
		if f.s == "" {
			continue
		}
		var err error
		if b, err = appendString(b, f.num, f.s); err != nil {
			return nil, err
		}
	}
	if e.GetRole() != employeepb.Role_ROLE_UNSPECIFIED {
		b = protowire.AppendTag(b, fieldRole, protowire.VarintType)
		// An enum is an int32; negative values are sign-extended to 64 bits.
		b = protowire.AppendVarint(b, uint64(int64(e.GetRole())))
	}
	for _, s := range e.GetSkills() {
		// Every element of a repeated field is written, even "".
		var err error
		if b, err = appendString(b, fieldSkills, s); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func appendString(b []byte, num protowire.Number, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("field %d: string is not valid UTF-8", num)
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s), nil
}

// UnmarshalEmployee decodes an Employee with protowire. It never trusts a
// length it reads: a truncated varint, a length past the end of b, an
// invalid key or invalid UTF-8 is an error naming the byte where it starts.
// Fields it does not know are skipped.
//
// Step 3: instead of dropping the fields it does not know, including a
// known number with an unexpected wire type, keep them as proto.Unmarshal
// does, and hand them to e.ProtoReflect().SetUnknown.
func UnmarshalEmployee(b []byte) (*employeepb.Employee, error) {
	e := &employeepb.Employee{}
	for off := 0; off < len(b); {
		num, typ, n := protowire.ConsumeTag(b[off:])
		if n < 0 {
			return nil, fmt.Errorf("byte %d: field key: %w", off, parseError(n))
		}
		if num > protowire.MaxValidNumber {
			return nil, fmt.Errorf("byte %d: field key: field number %d is above %d", off, num, protowire.MaxValidNumber)
		}
		off += n
		var err error
		switch {
		case num == fieldID && typ == protowire.VarintType:
			var v uint64
			v, n = protowire.ConsumeVarint(b[off:])
			e.Id = int64(v)
		case num == fieldRole && typ == protowire.VarintType:
			var v uint64
			v, n = protowire.ConsumeVarint(b[off:])
			e.Role = employeepb.Role(int32(v))
		case num == fieldFullName && typ == protowire.BytesType:
			e.FullName, n, err = consumeString(b[off:])
		case num == fieldEmail && typ == protowire.BytesType:
			e.Email, n, err = consumeString(b[off:])
		case num == fieldTitle && typ == protowire.BytesType:
			e.Title, n, err = consumeString(b[off:])
		case num == fieldSkills && typ == protowire.BytesType:
			var s string
			s, n, err = consumeString(b[off:])
			e.Skills = append(e.Skills, s)
		default:
			// A field this version does not know: skip it.
			n = protowire.ConsumeFieldValue(num, typ, b[off:])
		}
		if err != nil {
			return nil, fmt.Errorf("byte %d: field %d: %w", off, num, err)
		}
		if n < 0 {
			return nil, fmt.Errorf("byte %d: field %d (wire type %d): %w", off, num, typ, parseError(n))
		}
		off += n
	}
	return e, nil
}

// consumeString reads a length-delimited UTF-8 string, checking the length
// against what is left before using it.
func consumeString(b []byte) (s string, n int, err error) {
	size, n := protowire.ConsumeVarint(b)
	if n < 0 {
		return "", 0, fmt.Errorf("length: %w", parseError(n))
	}
	if size > uint64(len(b)-n) {
		return "", 0, fmt.Errorf("length %d runs past the end: %d bytes remain", size, len(b)-n)
	}
	v := b[n : n+int(size)]
	if !utf8.Valid(v) {
		return "", 0, fmt.Errorf("string is not valid UTF-8")
	}
	return string(v), n + int(size), nil
}

// parseError turns protowire's negative n into an error a person can read.
func parseError(n int) error {
	err := protowire.ParseError(n)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("truncated: the input ends in the middle of the field")
	}
	return err
}
