package main

import (
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
)

// A step whose cross-language test skipped (no Python with grpc) is done,
// and check and the progress table say what was not checked and how to
// check it.
func TestCrossLanguageSkipIsShown(t *testing.T) {
	t.Parallel()
	ch := course.Chapter{Dir: "04-server", Title: "The gRPC server", Steps: []course.Step{
		{N: 1, Title: "SayHello", Tests: []string{"TestStep1_SayHello"}},
	}}
	skipped := &gotest.Test{Name: "TestStep1_SayHello", Action: "skip",
		Output: "    testkit.go:47: SKIPPED the cross-language check: no Python 3 with the grpc module was found\n"}
	cs := chapterState{ch: ch, result: &gotest.Result{}, steps: []stepState{{step: ch.Steps[0], done: true, skipped: []*gotest.Test{skipped}}}}

	var out strings.Builder
	a := &app{course: &course.Course{Chapters: []course.Chapter{ch}}, stdout: &out}
	a.report(cs)
	want := "(done, cross-language check skipped: install Python's grpc ("
	if !strings.Contains(out.String(), want) {
		t.Errorf("check does not say the cross-language check was skipped (want %q); it printed:\n%s", want, out.String())
	}

	out.Reset()
	a.printTable(map[string]chapterState{ch.Dir: cs})
	if want := "done, cross-language check skipped: install Python's grpc"; !strings.Contains(out.String(), want) {
		t.Errorf("the progress table does not say the cross-language check was skipped (want %q); it printed:\n%s", want, out.String())
	}

	cs.steps[0].skipped = []*gotest.Test{{Name: "TestStep1_SayHello", Action: "skip", Output: "SKIPPED on Windows\n"}}
	if got := cs.crossLanguageSkipped(); got != "" {
		t.Errorf("another kind of skip was taken for a cross-language one: %q", got)
	}
}
