package testkit

import (
	"regexp"
	"strconv"
	"testing"
)

// notImplemented is the message of every skeleton function that a student
// has not written yet, such as "step 1: SayHello is not implemented yet".
var notImplemented = regexp.MustCompile(`step (\d+): [^\s:]+ is not implemented yet`)

// NotImplemented returns the "step N: X is not implemented yet" message that
// err carries, and its step N; ok is false when err carries none. It reads
// the error's text, so it finds the message inside a gRPC status error too.
func NotImplemented(err error) (msg string, step int, ok bool) {
	if err == nil {
		return "", 0, false
	}
	m := notImplemented.FindStringSubmatch(err.Error())
	if m == nil {
		return "", 0, false
	}
	step, _ = strconv.Atoi(m[1])
	return m[0], step, true
}

// StopIfNotImplemented ends the test with one line when err carries a
// skeleton's "not implemented yet" message, saying what to do next:
//
//	step 1: SayHello is not implemented yet: open greeter.go and follow step 1 in README.md
//
// file is the student's file that holds the unfinished function.
func StopIfNotImplemented(t testing.TB, err error, file string) {
	t.Helper()
	if msg, step, ok := NotImplemented(err); ok {
		t.Fatalf("%s: open %s and follow step %d in README.md", msg, file, step)
	}
}
