package wireformat

import (
	"encoding/binary"
	"fmt"

	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
)

// This file is given, not an exercise: a format in the style of chapter
// 01, for step 5's comparison. Fixed-width big-endian integers and strings
// prefixed with their length; no field numbers, so no field can be added,
// skipped or reordered without breaking every reader.
//
//	id        int64, 8 bytes
//	full_name uint32 length + bytes
//	email     uint32 length + bytes
//	title     uint32 length + bytes
//	role      int32, 4 bytes
//	skills    uint32 count, then each as uint32 length + bytes

// MarshalFixed encodes e in the hand-made fixed-width format.
func MarshalFixed(e *employeepb.Employee) ([]byte, error) {
	size := 8 + 4 + len(e.GetFullName()) + 4 + len(e.GetEmail()) + 4 + len(e.GetTitle()) + 4 + 4
	for _, s := range e.GetSkills() {
		size += 4 + len(s)
	}
	b := make([]byte, 0, size)
	b = binary.BigEndian.AppendUint64(b, uint64(e.GetId()))
	for _, s := range []string{e.GetFullName(), e.GetEmail(), e.GetTitle()} {
		b = appendFixedString(b, s)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(e.GetRole()))
	b = binary.BigEndian.AppendUint32(b, uint32(len(e.GetSkills())))
	for _, s := range e.GetSkills() {
		b = appendFixedString(b, s)
	}
	return b, nil
}

func appendFixedString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// UnmarshalFixed decodes what MarshalFixed wrote, checking every length
// against the bytes that are left.
func UnmarshalFixed(b []byte) (*employeepb.Employee, error) {
	r := fixedReader{b: b}
	e := &employeepb.Employee{Id: int64(r.uint64())}
	e.FullName, e.Email, e.Title = r.string(), r.string(), r.string()
	e.Role = employeepb.Role(int32(r.uint32()))
	count := r.uint32()
	if r.err == nil && uint64(count)*4 > uint64(len(r.b)) {
		return nil, fmt.Errorf("fixed format: %d skills cannot fit in %d bytes", count, len(r.b))
	}
	for range count {
		e.Skills = append(e.Skills, r.string())
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("fixed format: %d bytes left over after the employee", len(r.b))
	}
	return e, nil
}

// fixedReader reads from b until the first error, then reads zeros.
type fixedReader struct {
	b   []byte
	err error
}

func (r *fixedReader) take(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = fmt.Errorf("fixed format: need %d bytes, only %d are left", n, len(r.b))
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *fixedReader) uint64() uint64 {
	if v := r.take(8); v != nil {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

func (r *fixedReader) uint32() uint32 {
	if v := r.take(4); v != nil {
		return binary.BigEndian.Uint32(v)
	}
	return 0
}

func (r *fixedReader) string() string {
	return string(r.take(uint64(r.uint32())))
}
