package rpcbasics

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// The format (step 1), every value written in the order below:
//
//	string    its length as an unsigned varint, then its UTF-8 bytes
//	Employee  ID as a signed (zigzag) varint, then FullName, Email, Title as strings
//
// A request for GetEmployeeByName is one string (the full name); the reply is
// one Employee. Nothing else is written: no field names, no types, no padding.

// MarshalString encodes s: its length as a uvarint, then its bytes. A string
// that is not valid UTF-8 is an error (unicode/utf8.ValidString).
func MarshalString(s string) ([]byte, error) {
	return appendString(nil, s)
}

// UnmarshalString decodes what MarshalString wrote. Any byte left over is an error.
func UnmarshalString(data []byte) (string, error) {
	s, rest, err := readString(data)
	if err != nil {
		return "", fmt.Errorf("string: %w", err)
	}
	if len(rest) != 0 {
		return "", fmt.Errorf("string: %d unexpected bytes after the end", len(rest))
	}
	return s, nil
}

// MarshalEmployee encodes e: ID as a zigzag varint, then its three strings.
func MarshalEmployee(e Employee) ([]byte, error) {
	b := binary.AppendVarint(nil, e.ID)
	for _, s := range []string{e.FullName, e.Email, e.Title} {
		var err error
		if b, err = appendString(b, s); err != nil {
			return nil, fmt.Errorf("employee %d: %w", e.ID, err)
		}
	}
	return b, nil
}

// UnmarshalEmployee decodes what MarshalEmployee wrote. It never trusts a
// length it reads: a string longer than the bytes that remain is an error,
// and so is a varint that does not end, invalid UTF-8, or a byte left over.
func UnmarshalEmployee(data []byte) (Employee, error) {
	var e Employee
	id, n := binary.Varint(data)
	if n <= 0 {
		return Employee{}, errors.New("employee: the id is not a complete varint")
	}
	e.ID = id
	rest := data[n:]
	for _, field := range []*string{&e.FullName, &e.Email, &e.Title} {
		var err error
		if *field, rest, err = readString(rest); err != nil {
			return Employee{}, fmt.Errorf("employee: %w", err)
		}
	}
	if len(rest) != 0 {
		return Employee{}, fmt.Errorf("employee: %d unexpected bytes after the last field", len(rest))
	}
	return e, nil
}

// appendString appends s's length as a uvarint, then s.
func appendString(b []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("%q is not valid UTF-8", s)
	}
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...), nil
}

// readString reads one string from the front of b and returns the rest.
func readString(b []byte) (string, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return "", nil, errors.New("the length is not a complete varint")
	}
	b = b[k:]
	// Check the length against what is really there before using it: a
	// corrupt or hostile length must not make us allocate or slice past the end.
	if n > uint64(len(b)) {
		return "", nil, fmt.Errorf("a string claims %d bytes but only %d remain", n, len(b))
	}
	s := b[:n]
	if !utf8.Valid(s) {
		return "", nil, errors.New("a string is not valid UTF-8")
	}
	return string(s), b[n:], nil
}

// Marshal encodes one of the values this chapter sends: a string or an
// Employee. The client, the server and the net/rpc codec all go through it.
func Marshal(v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return MarshalString(v)
	case *string:
		return MarshalString(*v)
	case Employee:
		return MarshalEmployee(v)
	case *Employee:
		return MarshalEmployee(*v)
	default:
		return nil, fmt.Errorf("cannot marshal a %T: only string and Employee have a format", v)
	}
}

// Unmarshal decodes data into v, which must be a *string or an *Employee.
func Unmarshal(data []byte, v any) error {
	switch v := v.(type) {
	case *string:
		s, err := UnmarshalString(data)
		if err != nil {
			return err
		}
		*v = s
	case *Employee:
		e, err := UnmarshalEmployee(data)
		if err != nil {
			return err
		}
		*v = e
	default:
		return fmt.Errorf("cannot unmarshal into a %T: pass a *string or an *Employee", v)
	}
	return nil
}
