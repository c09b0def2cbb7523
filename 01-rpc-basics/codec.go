package rpcbasics

import (
	"errors"
	"fmt"
)

// The format (step 1), every value written in the order below:
//
//	string    its length as an unsigned varint, then its UTF-8 bytes
//	Employee  ID as a signed (zigzag) varint, then FullName, Email, Title as strings
//
// A request for GetEmployeeByName is one string (the full name); the reply is
// one Employee. Nothing else is written: no field names, no types, no padding.
//
// encoding/binary has what you need: AppendUvarint and Uvarint for lengths,
// AppendVarint and Varint for the ID.

// MarshalString encodes s: its length as a uvarint, then its bytes. A string
// that is not valid UTF-8 is an error (unicode/utf8.ValidString).
func MarshalString(s string) ([]byte, error) {
	return nil, errors.New("step 1: MarshalString is not implemented yet")
}

// UnmarshalString decodes what MarshalString wrote. Any byte left over is an error.
func UnmarshalString(data []byte) (string, error) {
	return "", errors.New("step 1: UnmarshalString is not implemented yet")
}

// MarshalEmployee encodes e: ID as a zigzag varint, then its three strings.
func MarshalEmployee(e Employee) ([]byte, error) {
	return nil, errors.New("step 1: MarshalEmployee is not implemented yet")
}

// UnmarshalEmployee decodes what MarshalEmployee wrote. It never trusts a
// length it reads: a string longer than the bytes that remain is an error,
// and so is a varint that does not end, invalid UTF-8, or a byte left over.
func UnmarshalEmployee(data []byte) (Employee, error) {
	return Employee{}, errors.New("step 1: UnmarshalEmployee is not implemented yet")
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
