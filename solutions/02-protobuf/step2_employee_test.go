package wireformat

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
)

func TestStep2_MarshalEmployee(t *testing.T) {
	for name, e := range employees() {
		got, err := MarshalEmployee(e)
		testkit.StopIfNotImplemented(t, err, "employee.go")
		if err != nil {
			t.Errorf("%s: MarshalEmployee returned an error: %v", name, err)
			continue
		}
		if want := canonical(t, e); !bytes.Equal(got, want) {
			t.Errorf("%s: MarshalEmployee(%v)\n got %s\nwant %s (deterministic proto.Marshal)\nWrite fields in number order, skip zero values, write every element of skills; a negative id or role takes 10 bytes.",
				name, e, spaced(got), spaced(want))
		}
	}
}

func TestStep2_MarshalEmployeeRejectsBadUTF8(t *testing.T) {
	bad := []*employeepb.Employee{
		{FullName: "Ada \xff"},
		{Title: "\xc3"},
		{Skills: []string{"go", "\xe2\x82"}},
	}
	for _, e := range bad {
		got, err := MarshalEmployee(e)
		testkit.StopIfNotImplemented(t, err, "employee.go")
		if err == nil {
			t.Errorf("MarshalEmployee(%q) = %s with no error; proto.Marshal refuses strings that are not UTF-8, so must you", e, spaced(got))
		}
	}
}

func TestStep2_UnmarshalEmployee(t *testing.T) {
	for name, want := range employees() {
		got, err := UnmarshalEmployee(canonical(t, want))
		testkit.StopIfNotImplemented(t, err, "employee.go")
		if err != nil {
			t.Errorf("%s: UnmarshalEmployee(%s) returned an error: %v", name, spaced(canonical(t, want)), err)
			continue
		}
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			t.Errorf("%s: UnmarshalEmployee(%s) (-want +got):\n%s", name, spaced(canonical(t, want)), diff)
		}
	}
}

func TestStep2_UnmarshalEmployeeAnyOrder(t *testing.T) {
	// Other encoders may write fields in any order and repeat a field; the
	// last value of a repeated scalar wins, and repeated fields accumulate.
	in := unhex(t, ""+
		"32 02 67 6f"+ // skills: "go"
		"12 03 42 6f 62"+ // full_name: "Bob"
		"08 05"+ // id: 5
		"28 02"+ // role: ROLE_MANAGER
		"32 04 72 75 73 74"+ // skills: "rust"
		"08 06"+ // id: 6, wins over 5
		"12 03 41 6e 6e") // full_name: "Ann", wins over "Bob"
	want := &employeepb.Employee{Id: 6, FullName: "Ann", Role: employeepb.Role_ROLE_MANAGER, Skills: []string{"go", "rust"}}
	got, err := UnmarshalEmployee(in)
	testkit.StopIfNotImplemented(t, err, "employee.go")
	if err != nil {
		t.Fatalf("UnmarshalEmployee(%s) returned an error: %v", spaced(in), err)
	}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("UnmarshalEmployee of fields out of order and repeated (-want +got):\n%s\nDecode field by field in a loop; a later id or name replaces an earlier one, a later skill is appended.", diff)
	}
}

func TestStep2_UnmarshalEmployeeSkipsUnknownFields(t *testing.T) {
	// Fields 9 (varint), 10 (fixed64), 11 (bytes), 12 (fixed32) and 13 (a
	// group, wire types 3 and 4) are not in employee.proto.
	in := unhex(t, ""+
		"08 07"+ // id: 7
		"48 96 01"+ // field 9, varint 150
		"51 01 02 03 04 05 06 07 08"+ // field 10, fixed64
		"5a 03 61 62 63"+ // field 11, 3 bytes
		"65 01 02 03 04"+ // field 12, fixed32
		"6b 08 01 6c"+ // field 13: start group, field 1 = 1, end group
		"12 03 41 64 61") // full_name: "Ada"
	want := &employeepb.Employee{}
	if err := (proto.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(in, want); err != nil {
		t.Fatalf("the test's own input does not parse: %v", err)
	}
	got, err := UnmarshalEmployee(in)
	testkit.StopIfNotImplemented(t, err, "employee.go")
	if err != nil {
		t.Fatalf("UnmarshalEmployee(%s) returned an error: %v\nA field you do not know is not an error: skip it with protowire.ConsumeFieldValue.", spaced(in), err)
	}
	got.ProtoReflect().SetUnknown(nil) // keeping them is step 3
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("UnmarshalEmployee with unknown fields 9 to 13 in between (-want +got):\n%s", diff)
	}
}

func TestStep2_UnmarshalEmployeeBadInput(t *testing.T) {
	cases := []struct{ name, in string }{
		{"truncated key", "80"},
		{"truncated id varint", "08 ff ff"},
		{"id varint overflows 64 bits", "08 ff ff ff ff ff ff ff ff ff 7f"},
		{"length runs past the end", "12 05 41 64 61"},
		{"length of 2^63", "12 80 80 80 80 80 80 80 80 80 01 41"},
		{"truncated length", "12 80"},
		{"unknown field's length past the end", "5a 10 61"},
		{"truncated fixed64", "51 01 02 03"},
		{"truncated fixed32", "65 01 02"},
		{"field number 0", "00 01"},
		{"field number 0 as bytes", "02 00"},
		{"field number above 2^29-1", "80 80 80 80 10 00"},
		{"wire type 6 does not exist", "0e 01"},
		{"wire type 7 does not exist", "0f 01"},
		{"end group with no start", "0c"},
		{"group never closed", "6b 08 01"},
		{"group closed with another number", "6b 08 01 74"},
		{"full_name not UTF-8", "12 02 c3 28"},
		{"skill not UTF-8", "32 01 ff"},
		{"good field, then garbage", "08 07 ff"},
	}
	for _, c := range cases {
		in := unhex(t, c.in)
		var got *employeepb.Employee
		var err error
		noPanic(t, "UnmarshalEmployee", in, c.name, func() { got, err = UnmarshalEmployee(in) })
		testkit.StopIfNotImplemented(t, err, "employee.go")
		if err == nil {
			t.Errorf("%s: UnmarshalEmployee(%s) = {%v} with no error; want an error saying what is wrong and where", c.name, c.in, got)
			continue
		}
		if proto.Unmarshal(in, &employeepb.Employee{}) == nil {
			t.Errorf("the test is wrong: proto.Unmarshal accepts %s (%s)", c.in, c.name)
		}
		if testing.Verbose() {
			t.Logf("%-36s %-36s -> %v", c.name, c.in, err)
		}
	}
}
