package rpcbasics

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ada is the employee of the README's byte-by-byte example, as in SampleDirectory.
var ada = Employee{ID: 7, FullName: "Ada Lovelace", Email: "ada@example.com", Title: "Engineer"}

// adaBytes is ada encoded, as the README explains it.
const adaBytes = `
0e
0c 41 64 61 20 4c 6f 76 65 6c 61 63 65
0f 61 64 61 40 65 78 61 6d 70 6c 65 2e 63 6f 6d
08 45 6e 67 69 6e 65 65 72`

func TestStep1_MarshalStringGolden(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", "00"},
		{"ascii", "Ada Lovelace", "0c 41 64 61 20 4c 6f 76 65 6c 61 63 65"},
		{"utf-8 counts bytes, not letters", "Zoë", "04 5a 6f c3 ab"},
		{"length of 200 takes two varint bytes", strings.Repeat("a", 200), "c8 01" + strings.Repeat(" 61", 200)},
	}
	_, err := MarshalString("")
	stopIfNotDone(t, 1, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MarshalString(tt.in)
			stopIfNotDone(t, 1, err)
			if err != nil {
				t.Fatalf("step 1: MarshalString(%q) returned %v; a valid UTF-8 string always has an encoding", tt.in, err)
			}
			if diff := cmp.Diff(unhex(t, tt.want), got); diff != "" {
				t.Errorf("step 1: MarshalString(%q) wrote the wrong bytes: want the length as a uvarint, then the bytes (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestStep1_MarshalEmployeeGolden(t *testing.T) {
	tests := []struct {
		name string
		in   Employee
		want string
	}{
		{"the README example", ada, adaBytes},
		{"zero value", Employee{}, "00 00 00 00"},
		{"negative id uses zigzag", Employee{ID: -1, FullName: "x"}, "01 01 78 00 00"},
		{"id 300 takes two bytes", Employee{ID: 300}, "d8 04 00 00 00"},
	}
	_, err := MarshalEmployee(Employee{})
	stopIfNotDone(t, 1, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MarshalEmployee(tt.in)
			stopIfNotDone(t, 1, err)
			if err != nil {
				t.Fatalf("step 1: MarshalEmployee(%+v) returned %v", tt.in, err)
			}
			if diff := cmp.Diff(unhex(t, tt.want), got); diff != "" {
				t.Errorf("step 1: MarshalEmployee(%+v) wrote the wrong bytes: want ID as a zigzag varint (binary.AppendVarint), then FullName, Email, Title as strings (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestStep1_RoundTrip(t *testing.T) {
	employees := []Employee{
		ada,
		{},
		{ID: -42, FullName: "Zoë Müller", Email: "zoe@example.com", Title: "工程师"},
		{ID: math.MaxInt64, FullName: "max"},
		{ID: math.MinInt64, Title: "min"},
		{ID: 1, FullName: strings.Repeat("long ", 20000)},
	}
	for _, want := range employees {
		data, err := MarshalEmployee(want)
		stopIfNotDone(t, 1, err)
		if err != nil {
			t.Fatalf("step 1: MarshalEmployee(%.60v) returned %v", want, err)
		}
		got, err := UnmarshalEmployee(data)
		stopIfNotDone(t, 1, err)
		if err != nil {
			t.Fatalf("step 1: UnmarshalEmployee could not read what MarshalEmployee wrote for %.60v: %v", want, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("step 1: an Employee changed on its way through MarshalEmployee and UnmarshalEmployee (-want +got):\n%.2000s", diff)
		}
	}
	for _, want := range []string{"", "Ada Lovelace", "Zoë", strings.Repeat("é", 1000)} {
		data, err := MarshalString(want)
		stopIfNotDone(t, 1, err)
		got, err := UnmarshalString(data)
		stopIfNotDone(t, 1, err)
		if err != nil || got != want {
			t.Errorf("step 1: UnmarshalString(MarshalString(%.40q)) = %.40q, %v; want the same string back, no error", want, got, err)
		}
	}
}

// corruptEmployees are inputs UnmarshalEmployee must refuse with an error.
var corruptEmployees = []struct {
	name string
	data string
	why  string // what the decoder must notice
}{
	{"empty input", "", "there is not even an id: binary.Varint returns n == 0"},
	{"id varint never ends", "ff ff", "the id's varint is cut short: binary.Varint returns n == 0"},
	{"id varint longer than 64 bits", "ff ff ff ff ff ff ff ff ff ff 01 00 00 00", "the id's varint overflows 64 bits: binary.Varint returns n < 0, so check n <= 0, not just n == 0"},
	{"string length never ends", "0e 8c", "a string's length varint is cut short: binary.Uvarint returns n == 0"},
	{"string longer than the input", "0e 0c 41 64 61", "a string claims 12 bytes but 3 remain: compare the length with the bytes left before slicing"},
	{"length of 4 GiB in 10 bytes", "0e ff ff ff ff 0f 41 41 41 41", "a string claims 4 GiB: compare the length with the bytes left, as a uint64, before converting or slicing"},
	{"length of 2^63 in 10 bytes", "0e 80 80 80 80 80 80 80 80 80 01", "a string claims 2^63 bytes, which wraps to a negative int: compare it with len(data) as a uint64 first"},
	{"title missing", "0e 01 41 01 42", "the input ends after the email: every field must be there"},
	{"one byte too many", adaBytes + " 00", "a byte is left after the title: the encoding is exactly the four fields, so leftover bytes are an error"},
	{"not UTF-8", "0e 02 c3 28 00 00", "the name's bytes are not UTF-8: check them with utf8.Valid"},
}

func TestStep1_RejectsCorruptInput(t *testing.T) {
	_, err := UnmarshalEmployee(unhex(t, adaBytes))
	stopIfNotDone(t, 1, err)

	golden := unhex(t, adaBytes)
	for n := range len(golden) { // every truncation of a valid encoding; the first failure is enough
		if msg := rejects(golden[:n]); msg != "" {
			t.Fatalf("%s: the input is Ada's encoding cut to %d of %d bytes, so a field is missing or cut short; check each varint's n and each length against the bytes left", msg, n, len(golden))
		}
	}
	for _, tt := range corruptEmployees {
		t.Run(tt.name, func(t *testing.T) {
			if msg := rejects(unhex(t, tt.data)); msg != "" {
				t.Errorf("%s: %s", msg, tt.why)
			}
		})
	}
	t.Run("strings", func(t *testing.T) {
		for _, tt := range []struct{ data, why string }{
			{"", "there is no length at all"},
			{"05 41", "the length says 5 bytes but 1 remains"},
			{"01 41 41", "one byte is left over after the string: UnmarshalString decodes exactly one string, so leftover bytes are an error"},
			{"ff ff ff ff ff ff ff ff ff ff 01", "the length's varint overflows 64 bits: binary.Uvarint returns n < 0"},
			{"01 ff", "the string's byte is not UTF-8"},
		} {
			var err error
			if p := catch(func() { _, err = UnmarshalString(unhex(t, tt.data)) }); p != nil {
				t.Fatalf("step 1: UnmarshalString panicked on % x: %v; return an error instead (%s)", unhex(t, tt.data), p, tt.why)
			}
			if err == nil {
				t.Errorf("step 1: UnmarshalString accepted the corrupt input % x (%s); it must return an error", unhex(t, tt.data), tt.why)
			}
		}
	})
	t.Run("marshal refuses invalid UTF-8", func(t *testing.T) {
		if _, err := MarshalString("\xff"); err == nil {
			t.Errorf("step 1: MarshalString accepted \"\\xff\", which is not UTF-8; return an error (utf8.ValidString)")
		}
		if _, err := MarshalEmployee(Employee{Title: "\xc3("}); err == nil {
			t.Errorf("step 1: MarshalEmployee accepted a Title that is not UTF-8; return an error")
		}
	})
}

// rejects returns "" if UnmarshalEmployee refuses data with an error, and
// else what went wrong.
func rejects(data []byte) string {
	var err error
	var got Employee
	if p := catch(func() { got, err = UnmarshalEmployee(data) }); p != nil {
		return fmt.Sprintf("step 1: UnmarshalEmployee panicked on % x (%v); return an error instead", data, p)
	}
	if err == nil {
		return fmt.Sprintf("step 1: UnmarshalEmployee accepted the corrupt input % x as %+v; it must return an error", data, got)
	}
	return ""
}

func TestStep1_NoAllocationFromUntrustedLength(t *testing.T) {
	var err error
	if p := catch(func() { _, err = UnmarshalEmployee(unhex(t, adaBytes)) }); p != nil {
		t.Fatalf("step 1: UnmarshalEmployee panicked on Ada's valid encoding: %v; TestStep1_RoundTrip shows which field goes wrong", p)
	}
	stopIfNotDone(t, 1, err)

	// A 7-byte input whose first string claims 256 MiB.
	data := unhex(t, "0e 80 80 80 80 01 41")
	var got uint64
	if p := catch(func() { got = allocatedBy(func() { _, err = UnmarshalEmployee(data) }) }); p != nil {
		t.Fatalf("step 1: UnmarshalEmployee panicked on % x (%v), whose string claims 256 MiB but has 1 byte: compare a length with the bytes left before you slice, make or copy anything", data, p)
	}
	if err == nil {
		t.Errorf("step 1: UnmarshalEmployee accepted % x, whose string claims 256 MiB but has 1 byte", data)
	}
	if got > 1<<20 {
		t.Errorf("step 1: UnmarshalEmployee allocated %d bytes for a 7-byte input: compare a length with len(data) before you make or copy anything", got)
	}
}

func FuzzUnmarshalEmployee(f *testing.F) {
	f.Add(unhex(f, adaBytes))
	for _, tt := range corruptEmployees {
		f.Add(unhex(f, tt.data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var e Employee
		var err error
		if p := catch(func() { e, err = UnmarshalEmployee(data) }); p != nil {
			t.Fatalf("step 1: UnmarshalEmployee panicked on % x: %v; return an error instead", data, p)
		}
		if err != nil {
			return // rejected: fine (the skeleton rejects everything)
		}
		again, err := MarshalEmployee(e)
		if err != nil {
			t.Fatalf("MarshalEmployee refused %+v, which UnmarshalEmployee accepted: %v", e, err)
		}
		e2, err := UnmarshalEmployee(again)
		if err != nil {
			t.Fatalf("UnmarshalEmployee refused % x, which MarshalEmployee wrote: %v", again, err)
		}
		if diff := cmp.Diff(e, e2); diff != "" {
			t.Fatalf("decode, encode, decode changed the employee (-first +second):\n%s", diff)
		}
	})
}

func FuzzUnmarshalString(f *testing.F) {
	f.Add(unhex(f, "0c 41 64 61 20 4c 6f 76 65 6c 61 63 65"))
	f.Add(unhex(f, "05 41"))
	f.Add(unhex(f, "ff ff ff ff 0f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s string
		var err error
		if p := catch(func() { s, err = UnmarshalString(data) }); p != nil {
			t.Fatalf("step 1: UnmarshalString panicked on % x: %v; return an error instead", data, p)
		}
		if err != nil {
			return
		}
		again, err := MarshalString(s)
		if err != nil {
			t.Fatalf("MarshalString refused %q, which UnmarshalString accepted: %v", s, err)
		}
		if s2, err := UnmarshalString(again); err != nil || s2 != s {
			t.Fatalf("decode, encode, decode: %q became %q (%v)", s, s2, err)
		}
	})
}

// BenchmarkEncoding compares this chapter's format with encoding/gob and
// encoding/json on one Employee: bytes on the wire, time to encode and decode.
// gob is measured as a stand-alone message (a new Encoder each time), which
// is what one RPC argument costs it; on a long stream gob sends its type
// description once and its messages shrink.
func BenchmarkEncoding(b *testing.B) {
	e := ada
	formats := []struct {
		name   string
		encode func(Employee) ([]byte, error)
		decode func([]byte) (Employee, error)
	}{
		{"format=binary", MarshalEmployee, UnmarshalEmployee},
		{"format=gob", func(e Employee) ([]byte, error) {
			var buf bytes.Buffer
			err := gob.NewEncoder(&buf).Encode(e)
			return buf.Bytes(), err
		}, func(data []byte) (Employee, error) {
			var e Employee
			err := gob.NewDecoder(bytes.NewReader(data)).Decode(&e)
			return e, err
		}},
		{"format=json", func(e Employee) ([]byte, error) { return json.Marshal(e) }, func(data []byte) (Employee, error) {
			var e Employee
			err := json.Unmarshal(data, &e)
			return e, err
		}},
	}
	for _, f := range formats {
		data, err := f.encode(e)
		stopIfNotDone(b, 1, err)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f.name+"/encode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.encode(e); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data)), "bytes/employee")
		})
		b.Run(f.name+"/decode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.decode(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data)), "bytes/employee")
		})
	}
}
