package wireformat

import (
	"encoding/hex"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"iter"
	"os"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"google.golang.org/protobuf/proto"
)

// TestMain runs the tests under the workshop's watchdog: a test that blocks
// ends the run within seconds, saying where the code waits.
func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

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
// non-ASCII text, empty and long repeated elements. It yields them in a
// fixed order, so that failures always read the same.
func employees() iter.Seq2[string, *employeepb.Employee] {
	cases := []struct {
		name string
		e    *employeepb.Employee
	}{
		{"ada", ada()},
		{"all zero", &employeepb.Employee{}},
		{"only an id", &employeepb.Employee{Id: 1}},
		{"negative id", &employeepb.Employee{Id: -1, FullName: "Minus One"}},
		{"largest id", &employeepb.Employee{Id: 1<<63 - 1}},
		{"role 42", &employeepb.Employee{FullName: "Future Role", Role: 42}},
		{"negative role", &employeepb.Employee{Role: -3}},
		{"non-ASCII", &employeepb.Employee{FullName: "José Ñúñez 李雷", Title: "Ingeniero 🚀"}},
		{"empty skill", &employeepb.Employee{Skills: []string{"", "x", ""}}},
		{"long title", &employeepb.Employee{Title: strings.Repeat("very ", 60) + "senior"}},
	}
	return func(yield func(string, *employeepb.Employee) bool) {
		for _, c := range cases {
			if !yield(c.name, c.e) {
				return
			}
		}
	}
}

// noPanic runs f, a call of the code under test on in (which is what
// what says), and turns a panic into one line saying what to do.
func noPanic(t *testing.T, call string, in []byte, what string, f func()) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("%s panicked on %s (%s): %v\n%s", call, spaced(in), what, p, panicAdvice(call, what))
		}
	}()
	f()
}

// panicAdvice says what a panic on such input usually means.
func panicAdvice(call, what string) string {
	switch {
	case strings.Contains(what, "overflow") || strings.Contains(what, "64 bits"):
		return "A varint is at most 10 bytes, and the 10th may only be 0 or 1: stop there with an error instead of reading or shifting further."
	case call == "ConsumeVarint" || call == "ConsumeKey" || strings.Contains(what, "truncated"):
		return "The input ends early: check i < len(b) before each byte you read, and return an error when the bytes run out."
	default:
		return "Check every length and index against len(b) before using it, and return an error instead."
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
