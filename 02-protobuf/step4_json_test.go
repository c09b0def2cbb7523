package wireformat

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/protobuf/testing/protocmp"
)

func TestStep4_JSONRoundTrip(t *testing.T) {
	for name, want := range employees() {
		b, err := EmployeeToJSON(want)
		testkit.StopIfNotImplemented(t, err, "json.go")
		if err != nil {
			t.Errorf("%s: EmployeeToJSON returned an error: %v", name, err)
			continue
		}
		got, err := EmployeeFromJSON(b)
		testkit.StopIfNotImplemented(t, err, "json.go")
		if err != nil {
			t.Errorf("%s: EmployeeFromJSON(%s) returned an error: %v", name, b, err)
			continue
		}
		// Compare messages, never JSON text: protojson varies its spacing
		// on purpose so that no one depends on it.
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			t.Errorf("%s: EmployeeFromJSON(EmployeeToJSON(e)) (-want +got):\n%s", name, diff)
		}
	}
}

func TestStep4_JSONMapping(t *testing.T) {
	big := &employeepb.Employee{Id: 1<<53 + 1, FullName: "Grace Hopper", Role: employeepb.Role_ROLE_DIRECTOR}
	b, err := EmployeeToJSON(big)
	testkit.StopIfNotImplemented(t, err, "json.go")
	if err != nil {
		t.Fatalf("EmployeeToJSON returned an error: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("EmployeeToJSON wrote something that is not JSON: %v\n%s", err, b)
	}
	// Values as encoding/json sees them: every field is there, even the
	// empty ones (EmitUnpopulated), names in lowerCamelCase, the int64 as a
	// string (JavaScript numbers lose digits above 2^53), the enum by name.
	want := map[string]any{
		"id":       "9007199254740993",
		"fullName": "Grace Hopper",
		"email":    "",
		"title":    "",
		"role":     "ROLE_DIRECTOR",
		"skills":   []any{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EmployeeToJSON(%v) wrote %s\n(-want +got):\n%s\nUse protojson.MarshalOptions{EmitUnpopulated: true}.", big, b, diff)
	}
}

func TestStep4_JSONFromOtherWriters(t *testing.T) {
	cases := []struct {
		name, in string
		want     *employeepb.Employee
	}{
		{"camelCase, int64 as a string, enum by name",
			`{"id": "42", "fullName": "Ann", "role": "ROLE_MANAGER", "skills": ["go"]}`,
			&employeepb.Employee{Id: 42, FullName: "Ann", Role: employeepb.Role_ROLE_MANAGER, Skills: []string{"go"}}},
		{"the .proto names, int64 as a number, enum by number",
			`{"id": 42, "full_name": "Ann", "role": 2}`,
			&employeepb.Employee{Id: 42, FullName: "Ann", Role: employeepb.Role_ROLE_MANAGER}},
		{"null means the default",
			`{"id": null, "email": null, "skills": null}`,
			&employeepb.Employee{}},
		{"a newer writer: its unknown fields are skipped",
			`{"id": "7", "email": "ada@example.com", "floor": 0, "phone": "+44"}`,
			&employeepb.Employee{Id: 7, Email: "ada@example.com"}},
		{"a newer writer's renamed field is lost: in JSON, names are the contract",
			`{"id": "7", "displayName": "Ada Lovelace"}`,
			&employeepb.Employee{Id: 7}},
		{"a newer writer's enum value is dropped: in JSON, enum names are the contract",
			`{"id": "7", "role": "ROLE_ASTRONAUT"}`,
			&employeepb.Employee{Id: 7}},
	}
	for _, c := range cases {
		got, err := EmployeeFromJSON([]byte(c.in))
		testkit.StopIfNotImplemented(t, err, "json.go")
		if err != nil {
			t.Errorf("%s: EmployeeFromJSON(%s) returned an error: %v\nSkip unknown fields: protojson.UnmarshalOptions{DiscardUnknown: true}.", c.name, c.in, err)
			continue
		}
		if diff := cmp.Diff(c.want, got, protocmp.Transform()); diff != "" {
			t.Errorf("%s: EmployeeFromJSON(%s) (-want +got):\n%s", c.name, c.in, diff)
		}
	}
}

func TestStep4_JSONBadInput(t *testing.T) {
	bad := map[string]string{
		"not JSON":                  `{"id": `,
		"id is not a number":        `{"id": "seven"}`,
		"id has a fraction":         `{"id": 1.5}`,
		"skills is not a list":      `{"skills": "go"}`,
		"full_name is not a string": `{"fullName": 12}`,
		"a field given twice":       `{"fullName": "a", "full_name": "b"}`,
	}
	for name, in := range bad {
		got, err := EmployeeFromJSON([]byte(in))
		testkit.StopIfNotImplemented(t, err, "json.go")
		if err == nil {
			t.Errorf("%s: EmployeeFromJSON(%s) = %v with no error; want an error", name, in, got)
		} else if testing.Verbose() {
			t.Logf("%-26s %-36s -> %v", name, in, err)
		}
	}
}
