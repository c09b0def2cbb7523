package gotest

import (
	"context"
	"strings"
	"testing"
)

// With cgo turned off, -race cannot build: RaceProblem says so, and what
// to do about it.
func TestRaceProblemWithoutCgo(t *testing.T) {
	t.Setenv("CGO_ENABLED", "0")
	got := RaceProblem(context.Background(), ".")
	for _, want := range []string{"CGO_ENABLED=0 is set", "-race needs cgo", "unset it", "install"} {
		if !strings.Contains(got, want) {
			t.Errorf("RaceProblem with CGO_ENABLED=0 = %q; want it to say %q", got, want)
		}
	}
}

// A C compiler that is not there is named.
func TestRaceProblemWithoutCompiler(t *testing.T) {
	t.Setenv("CGO_ENABLED", "1")
	t.Setenv("CC", "no-such-cc-anywhere")
	got := RaceProblem(context.Background(), ".")
	if !strings.Contains(got, "no-such-cc-anywhere is not on PATH") {
		t.Errorf("RaceProblem with CC=no-such-cc-anywhere = %q; want it to name the missing compiler", got)
	}
}
