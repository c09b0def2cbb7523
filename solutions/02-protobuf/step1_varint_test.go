package wireformat

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/protobuf/encoding/protowire"
)

func TestStep1_HelloRequestBytes(t *testing.T) {
	got, err := MarshalHelloRequest("you")
	testkit.StopIfNotImplemented(t, err, "varint.go")
	if err != nil {
		t.Fatalf("MarshalHelloRequest(%q) returned an error: %v", "you", err)
	}
	// 0a = key: field 1, wire type 2 (length-delimited); 03 = length; then "you".
	want := unhex(t, "0a 03 79 6f 75")
	if !bytes.Equal(got, want) {
		t.Fatalf("MarshalHelloRequest(%q) = %s, want %s\nThe README's step 1 walks these five bytes one by one.", "you", spaced(got), spaced(want))
	}
}

func TestStep1_HelloRequestLikeProtoMarshal(t *testing.T) {
	names := []string{
		"",                       // the default value: proto3 writes nothing
		"a",                      //
		"José",                   // 5 bytes of UTF-8 for 4 letters: the length counts bytes
		strings.Repeat("x", 127), // the longest length that fits one byte
		strings.Repeat("y", 128), // the length needs two varint bytes: 80 01
		strings.Repeat("z", 300), // ac 02
	}
	for _, name := range names {
		got, err := MarshalHelloRequest(name)
		testkit.StopIfNotImplemented(t, err, "varint.go")
		if err != nil {
			t.Errorf("MarshalHelloRequest of a %d-byte name returned an error: %v", len(name), err)
			continue
		}
		want := canonical(t, &helloworld.HelloRequest{Name: name})
		if !bytes.Equal(got, want) {
			t.Errorf("MarshalHelloRequest of a %d-byte name %.12q...:\n got %.60s\nwant %.60s (proto.Marshal)\nAn empty name is not written at all; a length of 128 or more takes two varint bytes.",
				len(name), name, spaced(got), spaced(want))
		}
	}
	if _, err := MarshalHelloRequest("\xff\xfe"); err == nil {
		t.Errorf("MarshalHelloRequest accepted a name that is not UTF-8: protobuf strings must be valid UTF-8, return an error (utf8.ValidString)")
	}
}

func TestStep1_AppendVarintField(t *testing.T) {
	cases := []struct {
		num  protowire.Number
		v    uint64
		want string
	}{
		{1, 0, "08 00"},
		{1, 1, "08 01"},
		{1, 127, "08 7f"},
		{1, 128, "08 80 01"},
		{1, 300, "08 ac 02"},
		{2, 150, "10 96 01"},
		{15, 1, "78 01"},    // the largest field number with a one-byte key
		{16, 1, "80 01 01"}, // the key itself needs two bytes
		{1, 1<<64 - 1, "08 ff ff ff ff ff ff ff ff ff 01"},
		{protowire.MaxValidNumber, 5, "f8 ff ff ff 0f 05"},
	}
	for _, c := range cases {
		got, err := AppendVarintField(nil, c.num, c.v)
		testkit.StopIfNotImplemented(t, err, "varint.go")
		if err != nil {
			t.Errorf("AppendVarintField(nil, %d, %d) returned an error: %v", c.num, c.v, err)
			continue
		}
		if want := unhex(t, c.want); !bytes.Equal(got, want) {
			t.Errorf("AppendVarintField(nil, %d, %d) = %s, want %s\nThe key is the varint num<<3 | 0; a varint sends 7 bits per byte, low bits first, high bit set on all bytes but the last.",
				c.num, c.v, spaced(got), spaced(want))
		}
	}
	// Appending keeps what was there.
	got, err := AppendVarintField([]byte{0xaa}, 1, 1)
	if err == nil && !bytes.Equal(got, []byte{0xaa, 0x08, 0x01}) {
		t.Errorf("AppendVarintField([]byte{0xaa}, 1, 1) = %s, want aa 08 01: append to b, do not overwrite it", spaced(got))
	}
}

func TestStep1_Keys(t *testing.T) {
	cases := []struct {
		num  protowire.Number
		typ  protowire.Type
		want string
	}{
		{1, protowire.VarintType, "08"},
		{1, protowire.BytesType, "0a"},
		{2, protowire.BytesType, "12"},
		{5, protowire.Fixed32Type, "2d"},
		{3, protowire.Fixed64Type, "19"},
		{100, protowire.BytesType, "a2 06"},
	}
	for _, c := range cases {
		got, err := AppendKey(nil, c.num, c.typ)
		testkit.StopIfNotImplemented(t, err, "varint.go")
		if err != nil {
			t.Errorf("AppendKey(nil, %d, %d) returned an error: %v", c.num, c.typ, err)
			continue
		}
		if want := unhex(t, c.want); !bytes.Equal(got, want) {
			t.Errorf("AppendKey(nil, field %d, wire type %d) = %s, want %s: the key is the varint field_number<<3 | wire_type",
				c.num, c.typ, spaced(got), spaced(want))
			continue
		}
		num, typ, n, err := ConsumeKey(append(got, 0xff))
		if err != nil || num != c.num || typ != c.typ || n != len(got) {
			t.Errorf("ConsumeKey(%s ff) = field %d, type %d, %d bytes, %v; want field %d, type %d, %d bytes, no error",
				spaced(got), num, typ, n, err, c.num, c.typ, len(got))
		}
	}
	bad := []struct {
		num protowire.Number
		typ protowire.Type
	}{
		{0, protowire.VarintType},                           // field numbers start at 1
		{protowire.MaxValidNumber + 1, protowire.BytesType}, // and end at 2^29-1
		{1, 6}, // wire types 6 and 7 do not exist
		{1, 7},
	}
	for _, c := range bad {
		if got, err := AppendKey(nil, c.num, c.typ); err == nil {
			t.Errorf("AppendKey(nil, %d, %d) = %s with no error; field numbers run from 1 to %d and wire types from 0 to 5: return an error",
				c.num, c.typ, spaced(got), protowire.MaxValidNumber)
		}
	}
	// 80 80 80 80 10 is field 2^29, one above the largest; 88 80 80 80 80 01 is
	// field 2^32+1, which a conversion to protowire.Number (an int32) wraps to 1.
	for _, h := range []string{"", "00", "07", "0e", "0f", "80", "80 80 80 80 10", "88 80 80 80 80 01"} {
		in := unhex(t, h)
		var num protowire.Number
		var typ protowire.Type
		var err error
		noPanic(t, "ConsumeKey", in, "a key that is not valid", func() { num, typ, _, err = ConsumeKey(in) })
		if err == nil {
			t.Errorf("ConsumeKey(%s) = field %d, type %d with no error; want an error (no bytes, field 0, a field above %d, wire type 6 or 7, or a truncated varint); check v>>3 before you convert it to protowire.Number", spaced(in), num, typ, protowire.MaxValidNumber)
		}
	}
}

func TestStep1_ConsumeVarint(t *testing.T) {
	good := []struct {
		in   string
		want uint64
		n    int
	}{
		{"00", 0, 1},
		{"01", 1, 1},
		{"7f", 127, 1},
		{"80 01", 128, 2},
		{"ac 02", 300, 2},
		{"96 01 ff", 150, 2}, // stops after the first byte without the high bit
		{"80 00", 0, 2},      // not the shortest form, but valid
		{"ff ff ff ff ff ff ff ff ff 01", 1<<64 - 1, 10},
	}
	for _, c := range good {
		v, n, err := ConsumeVarint(unhex(t, c.in))
		testkit.StopIfNotImplemented(t, err, "varint.go")
		if err != nil || v != c.want || n != c.n {
			t.Errorf("ConsumeVarint(%s) = %d, %d bytes, %v; want %d, %d bytes, no error", c.in, v, n, err, c.want, c.n)
		}
	}
	bad := []struct{ in, why string }{
		{"", "no bytes at all"},
		{"80", "truncated: the high bit promises another byte"},
		{"ff ff ff", "truncated after three bytes"},
		{"ff ff ff ff ff ff ff ff ff 02", "overflow: the 10th byte may only be 0 or 1"},
		{"ff ff ff ff ff ff ff ff ff ff 01", "overflow: 11 bytes"},
	}
	for _, c := range bad {
		in := unhex(t, c.in)
		var v uint64
		var n int
		var err error
		noPanic(t, "ConsumeVarint", in, c.why, func() { v, n, err = ConsumeVarint(in) })
		if err == nil {
			t.Errorf("ConsumeVarint(%s) = %d, %d bytes, no error; want an error (%s)", c.in, v, n, c.why)
		} else if testing.Verbose() {
			t.Logf("ConsumeVarint(%s): %v", c.in, err)
		}
	}
}
