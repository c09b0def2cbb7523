package wireformat

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"github.com/rpcworkshop/workshop/internal/protofresh"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"
)

// adaV2 is ada as a newer program writes her: two fields more.
func adaV2() *employeepb.EmployeeV2 {
	return &employeepb.EmployeeV2{
		Id:          7,
		DisplayName: "Ada Lovelace",
		Email:       "ada@example.com",
		Title:       "Principal Engineer",
		Role:        employeepb.Role_ROLE_ENGINEER,
		Skills:      []string{"go", "protobuf", "grpc"},
		Floor:       proto.Uint32(0),
		Phone:       "+44 20 7946 0000",
	}
}

func TestStep3_OldCodeKeepsNewFields(t *testing.T) {
	newer := adaV2()
	in := canonical(t, newer)
	got, err := UnmarshalEmployee(in)
	testkit.StopIfNotImplemented(t, err, "employee.go")
	if err != nil {
		t.Fatalf("UnmarshalEmployee of EmployeeV2 bytes returned an error: %v\nNew fields are not an error: an old program must read a new one's bytes.", err)
	}
	if got.GetFullName() != newer.GetDisplayName() {
		t.Errorf("full_name = %q, want %q: EmployeeV2 renamed it display_name but kept number 2, and the wire only knows the number",
			got.GetFullName(), newer.GetDisplayName())
	}
	wantUnknown := canonical(t, &employeepb.EmployeeV2{Floor: newer.Floor, Phone: newer.Phone})
	if gotUnknown := got.ProtoReflect().GetUnknown(); !bytes.Equal(gotUnknown, wantUnknown) {
		t.Fatalf("unknown fields kept = %s, want %s (fields 7 and 8 exactly as they came)\nIn UnmarshalEmployee, append each unknown field's bytes, key included, and call e.ProtoReflect().SetUnknown.",
			spaced(gotUnknown), spaced(wantUnknown))
	}
	out, err := MarshalEmployee(got)
	if err != nil {
		t.Fatalf("MarshalEmployee of the decoded employee returned an error: %v", err)
	}
	if !bytes.Equal(out, in) {
		t.Fatalf("re-encoded bytes\n got %s\nwant %s\nIn MarshalEmployee, append e.ProtoReflect().GetUnknown() after the known fields.", spaced(out), spaced(in))
	}
	back := &employeepb.EmployeeV2{}
	if err := proto.Unmarshal(out, back); err != nil {
		t.Fatalf("proto.Unmarshal of the re-encoded bytes: %v", err)
	}
	if diff := cmp.Diff(newer, back, protocmp.Transform()); diff != "" {
		t.Errorf("a v2 message passed through v1 code came back changed (-want +got):\n%s", diff)
	}
}

func TestStep3_UnknownFieldsLikeProtoUnmarshal(t *testing.T) {
	inputs := []struct{ name, in string }{
		{"new fields 7 and 8", "08 07 38 03 42 01 78"},
		{"unknown group", "6b 08 01 12 01 61 6c 08 09"},
		{"full_name sent as a varint", "10 05 12 01 61"},     // field 2 with the wrong wire type
		{"id sent as bytes", "0a 02 68 69 08 01"},            // field 1 with the wrong wire type
		{"skills sent as fixed32", "35 01 02 03 04 32 00"},   // field 6 with the wrong wire type
		{"a key longer than needed", "85 c4 00 30 30 30 30"}, // field 1088, fixed32, key in 3 bytes where 2 do
	}
	for _, c := range inputs {
		name, h := c.name, c.in
		in := unhex(t, h)
		want := &employeepb.Employee{}
		if err := proto.Unmarshal(in, want); err != nil {
			t.Fatalf("the test's own input %q does not parse: %v", name, err)
		}
		var got *employeepb.Employee
		var err error
		noPanic(t, "UnmarshalEmployee", in, name, func() { got, err = UnmarshalEmployee(in) })
		testkit.StopIfNotImplemented(t, err, "employee.go")
		if err != nil {
			t.Fatalf("%s: UnmarshalEmployee(%s) returned an error: %v\nproto.Unmarshal keeps a known number with an unexpected wire type as an unknown field; do the same.", name, h, err)
		}
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			t.Fatalf("%s: UnmarshalEmployee(%s) differs from proto.Unmarshal (-want +got):\n%s\nKeep each unknown field as proto.Unmarshal does: its key rewritten with protowire.AppendTag, then its value byte for byte.", name, h, diff)
		}
	}
}

func TestStep3_NewCodeReadsOldBytes(t *testing.T) {
	old, err := MarshalEmployee(ada())
	testkit.StopIfNotImplemented(t, err, "employee.go")
	if err != nil {
		t.Fatalf("MarshalEmployee(ada): %v", err)
	}
	got := &employeepb.EmployeeV2{}
	if err := proto.Unmarshal(old, got); err != nil {
		t.Fatalf("EmployeeV2 cannot read Employee bytes: %v", err)
	}
	want := adaV2()
	want.Floor, want.Phone = nil, ""
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("EmployeeV2 read from Employee bytes (-want +got):\n%s", diff)
	}
	if got.Floor != nil {
		t.Errorf("floor is set to %d; it was never sent, and optional lets the reader tell", got.GetFloor())
	}
}

func TestStep3_FieldsOnWire(t *testing.T) {
	cases := []struct {
		name string
		msg  proto.Message
		want []protowire.Number
	}{
		{"ada", ada(), []protowire.Number{1, 2, 3, 4, 5, 6, 6, 6}},
		{"all zero", &employeepb.Employee{}, []protowire.Number{}},
		{"zero values set on purpose", &employeepb.Employee{Id: 0, FullName: "", Role: employeepb.Role_ROLE_UNSPECIFIED}, []protowire.Number{}},
		{"an empty skill is an element", &employeepb.Employee{Skills: []string{""}}, []protowire.Number{6}},
		{"phone empty: no presence", &employeepb.EmployeeV2{Phone: ""}, []protowire.Number{}},
		{"floor 0: optional has presence", &employeepb.EmployeeV2{Floor: proto.Uint32(0)}, []protowire.Number{7}},
		{"floor nil", &employeepb.EmployeeV2{Floor: nil, Phone: "1"}, []protowire.Number{8}},
	}
	for _, c := range cases {
		in := canonical(t, c.msg)
		got, err := FieldsOnWire(in)
		testkit.StopIfNotImplemented(t, err, "evolve.go")
		if err != nil {
			t.Errorf("%s: FieldsOnWire(%s) returned an error: %v", c.name, spaced(in), err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s: FieldsOnWire(%s) (-want +got):\n%s\nList the number of every field key, in order, skipping each value with protowire.ConsumeFieldValue.", c.name, spaced(in), diff)
		}
	}
	for _, bad := range []string{"80", "0a 05 61", "0f", "00"} {
		in := unhex(t, bad)
		var got []protowire.Number
		var err error
		noPanic(t, "FieldsOnWire", in, "a broken message", func() { got, err = FieldsOnWire(in) })
		if err == nil {
			t.Errorf("FieldsOnWire(%s) = %v with no error; want an error for a broken message", bad, got)
		}
	}
}

// employeeIn compiles a .proto file of testdata and returns its Employee.
func employeeIn(t *testing.T, path string) protoreflect.MessageDescriptor {
	t.Helper()
	fdp, err := protofresh.Compile(path)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	fd, err := protodesc.NewFile(fdp, nil)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return fd.Messages().ByName("Employee")
}

func TestStep3_BreakingChanges(t *testing.T) {
	v1 := (&employeepb.Employee{}).ProtoReflect().Descriptor()
	cases := []struct {
		name     string
		new      protoreflect.MessageDescriptor
		problems int
		mention  []string
		why      string // why the problems are (or are not) there
	}{
		{"EmployeeV2: a rename and two new fields", (&employeepb.EmployeeV2{}).ProtoReflect().Descriptor(), 0, nil,
			"a new name for number 2 changes nothing on the wire, and new numbers are unknown fields to old readers"},
		{"the same message", v1, 0, nil, "nothing changed"},
		{"testdata/reserved.proto: title removed, number reserved", employeeIn(t, "testdata/reserved.proto"), 0, nil,
			"a removed field whose number is reserved can never be reused"},
		{"testdata/renumbered.proto: email and title swap numbers", employeeIn(t, "testdata/renumbered.proto"), 2, []string{"email", "title"},
			"both are strings, so every byte still parses (buf breaking's WIRE rules see nothing), yet an old reader shows the email as the title: report each field whose number changed, found by name"},
		{"testdata/retyped.proto: id becomes a string", employeeIn(t, "testdata/retyped.proto"), 1, []string{"id"},
			"an old reader expects a varint under number 1 and finds a length-delimited string"},
		{"testdata/repeated.proto: id becomes repeated int64", employeeIn(t, "testdata/repeated.proto"), 1, []string{"id", "repeated"},
			"a packed repeated int64 is length-delimited, so an old reader finds no varint id; compare the cardinality too (Cardinality or IsList), not only the Kind"},
		{"testdata/removed.proto: title removed, number free", employeeIn(t, "testdata/removed.proto"), 1, []string{"title", "4"},
			"a free number 4 may later be given to another field, which old readers would take for the title"},
	}
	for _, c := range cases {
		got, err := BreakingChanges(v1, c.new)
		testkit.StopIfNotImplemented(t, err, "evolve.go")
		if err != nil {
			t.Errorf("%s: BreakingChanges returned an error: %v", c.name, err)
			continue
		}
		if len(got) != c.problems {
			t.Errorf("%s: BreakingChanges found %d problems, want %d (%s):%s\nCompare field by field: by number (kind or cardinality changed? removed without reserved?) and by name (number changed?).",
				c.name, len(got), c.problems, c.why, listed(got))
			continue
		}
		all := strings.Join(got, "\n")
		for _, m := range c.mention {
			if !strings.Contains(all, m) {
				t.Errorf("%s: the problems do not name %q (%s):%s", c.name, m, c.why, listed(got))
			}
		}
		for _, p := range got {
			if testing.Verbose() {
				t.Logf("%s: %s", c.name, p)
			}
		}
	}
	if _, err := BreakingChanges(nil, v1); err == nil {
		t.Errorf("BreakingChanges(nil, Employee) returned no error; want one")
	}
}

// listed prints problems one per line, indented, or says there are none.
func listed(problems []string) string {
	if len(problems) == 0 {
		return " (none)"
	}
	return "\n  " + strings.Join(problems, "\n  ")
}
