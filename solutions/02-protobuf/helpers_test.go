package wireformat

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"google.golang.org/protobuf/proto"
)

// notImplemented reports whether err is a skeleton's "step N: ... is not
// implemented yet" error.
func notImplemented(err error) bool {
	return err != nil && strings.Contains(err.Error(), "is not implemented yet")
}

// stopIfNotImplemented ends the test with one line when the code under
// test is still the skeleton's, saying which file to open.
func stopIfNotImplemented(t *testing.T, err error, file string) {
	t.Helper()
	if notImplemented(err) {
		step, _, _ := strings.Cut(err.Error(), ":")
		t.Fatalf("%v: open %s and follow %s in README.md", err, file, step)
	}
}

// ada is the employee of every example: one of each kind of field.
func ada() *employeepb.Employee {
	return &employeepb.Employee{
		Id:       7,
		FullName: "Ada Lovelace",
		Email:    "ada@example.com",
		Title:    "Principal Engineer",
		Role:     employeepb.Role_ROLE_ENGINEER,
		Skills:   []string{"go", "protobuf", "grpc"},
	}
}

// employees covers the corners of the encoding: zero values, negative
// numbers (10-byte varints), an enum number the schema does not name,
// non-ASCII text, empty and long repeated elements.
func employees() map[string]*employeepb.Employee {
	return map[string]*employeepb.Employee{
		"ada":           ada(),
		"all zero":      {},
		"only an id":    {Id: 1},
		"negative id":   {Id: -1, FullName: "Minus One"},
		"largest id":    {Id: 1<<63 - 1},
		"role 42":       {FullName: "Future Role", Role: 42},
		"negative role": {Role: -3},
		"non-ASCII":     {FullName: "José Ñúñez 李雷", Title: "Ingeniero 🚀"},
		"empty skill":   {Skills: []string{"", "x", ""}},
		"long title":    {Title: strings.Repeat("very ", 60) + "senior"},
	}
}

// canonical is what proto.Marshal writes for m, fields in number order.
func canonical(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		t.Fatalf("proto.Marshal: %v", err)
	}
	return b
}

// spaced prints bytes as hex pairs, "0a 03 79 6f 75".
func spaced(b []byte) string {
	if len(b) == 0 {
		return "(no bytes)"
	}
	h := hex.EncodeToString(b)
	var out strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(h[i : i+2])
	}
	return out.String()
}

// unhex turns "0a 03 79 6f 75" into bytes.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex in the test itself: %q: %v", s, err)
	}
	return b
}
