package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
)

// runCheck runs one chapter's tests and reports them step by step.
func runCheck(ctx context.Context, a *app, args []string) int {
	flags := newFlagSet("check", "[chapter] [-v]", "Run a chapter's tests and report them step by step.")
	var verbose bool
	flags.BoolVar(&verbose, "v", false, "print the tests' raw output too")
	flags.alias("verbose", "v")
	names, code, ok := a.parseFlags(flags, args)
	if !ok {
		return code
	}
	if len(names) > 1 {
		return a.fail(usagef("check takes one chapter, not %d; usage: %s check [chapter] [-v]", len(names), a.self()))
	}
	var cs chapterState
	if len(names) == 1 {
		ch, err := a.chapter(names[0], true)
		if err != nil {
			return a.fail(err)
		}
		cs = a.testChapter(ctx, ch)
	} else {
		var ok bool
		cs, ok = a.defaultChapter(ctx)
		if !ok {
			return a.fail(usagef("no chapter is written yet, so there is nothing to check"))
		}
	}
	if ctx.Err() != nil {
		return exitNotDone
	}
	if verbose && cs.result != nil {
		a.printRaw(cs.result)
	}
	code = a.report(cs)
	a.reportToRoom(ctx, cs)
	return code
}

// defaultChapter tests the chapter the student is in, or else the first
// chapter that is not done (or the last one, if all are).
func (a *app) defaultChapter(ctx context.Context) (chapterState, bool) {
	if ch, ok := a.currentChapter(); ok {
		return a.testChapter(ctx, ch), true
	}
	var cs chapterState
	found := false
	skipped := a.loadSkips()
	for _, ch := range a.course.Chapters {
		if !ch.Present() || skipped[ch.Dir] {
			continue
		}
		cs, found = a.testChapter(ctx, ch), true
		if _, notDone := cs.next(); notDone || cs.broken() != "" || ctx.Err() != nil {
			break
		}
	}
	return cs, found
}

// printRaw prints what go test printed, test by test.
func (a *app) printRaw(r *gotest.Result) {
	fmt.Fprint(a.stdout, r.BuildOutput)
	for _, name := range r.Names(func(*gotest.Test) bool { return true }) {
		fmt.Fprint(a.stdout, r.Tests[name].Output)
	}
	fmt.Fprint(a.stdout, r.Output)
	fmt.Fprintln(a.stdout, strings.Repeat("-", 60))
}

// report prints a chapter's steps and, for the first step not done, why.
// It returns exitOK only when every step is done.
func (a *app) report(cs chapterState) int {
	ch := cs.ch
	if b := cs.broken(); b != "" {
		fmt.Fprintf(a.stdout, "%s: %s\n\n", a.paint(bold, ch.Dir), ch.Title)
		a.reportBroken(cs, b)
		return exitNotDone
	}
	fmt.Fprintf(a.stdout, "%s: %s (%d of %d steps done)\n\n", a.paint(bold, ch.Dir), ch.Title, cs.doneCount(), len(ch.Steps))
	next, notDone := cs.next()
	for _, s := range cs.steps {
		mark, line := a.paint(green, "done   "), fmt.Sprintf("step %d  %s", s.step.N, s.step.Title)
		if !s.done {
			mark = a.paint(dim, "not yet")
		} else if why := crossLanguageSkipped(s.skipped); why != "" {
			line += a.paint(dim, "   (done, "+why+")")
		}
		if notDone && s.step.N == next.step.N {
			mark = a.paint(red, "not yet")
			line += a.paint(bold, "   <- next")
		}
		fmt.Fprintf(a.stdout, "  %s  %s\n", mark, line)
	}
	fmt.Fprintln(a.stdout)

	for _, s := range cs.steps {
		for _, t := range s.skipped {
			fmt.Fprintf(a.stdout, "Skipped: %s: %s\n\n", t.Name, indentMore(gotest.FirstLines(t.Output, 3)))
		}
	}
	if !notDone {
		if len(cs.other) > 0 {
			a.reportOther(cs.other)
			return exitNotDone
		}
		fmt.Fprintf(a.stdout, "%s Every step of %s passes.\n", a.paint(green, "Well done!"), ch.Dir)
		fmt.Fprintf(a.stdout, "  Compare with the solution: %s diff %s\n", a.self(), ch.Number())
		fmt.Fprintf(a.stdout, "  What is next: %s\n", a.self())
		return exitOK
	}

	fmt.Fprintf(a.stdout, "%s\n", a.paint(bold, fmt.Sprintf("Step %d is not done yet:", next.step.N)))
	for _, t := range sortedTests(next.failing) {
		msg := gotest.FirstLines(t.Output, 4)
		if msg == "" {
			msg = "failed without a message"
		}
		fmt.Fprintf(a.stdout, "  %s: %s\n", t.Name, indentMore(msg))
	}
	for _, name := range next.missing {
		fmt.Fprintf(a.stdout, "  %s did not run: %s lists it for step %d, but no test file of %s has it\n", name, course.File, next.step.N, ch.Dir)
	}
	fmt.Fprintln(a.stdout)
	fmt.Fprintf(a.stdout, "  Read:   %s\n", a.readStep(ch, next.step.N))
	fmt.Fprintf(a.stdout, "  Run:    %s\n", a.paint(cyan, a.testCommand(ch, next.step)))
	fmt.Fprintf(a.stdout, "  Stuck?  %s hint %s %d\n", a.self(), ch.Number(), next.step.N)
	if len(cs.other) > 0 {
		fmt.Fprintln(a.stdout)
		a.reportOther(cs.other)
	}
	return exitNotDone
}

// reportBroken explains a run that did not get as far as the steps.
func (a *app) reportBroken(cs chapterState, what string) {
	fmt.Fprintf(a.stdout, "%s %s\n", a.paint(red, "Stopped:"), what)
	switch {
	case cs.err != nil:
		fmt.Fprintln(a.stdout, "  Is Go installed and on your PATH? Try: go version")
		return
	case cs.result.BuildFailed:
		fmt.Fprintf(a.stdout, "\n%s\n\n", indent(firstLines(cs.result.BuildOutput, 20)))
		fmt.Fprintln(a.stdout, "Fix the first error above (file:line:column says where), then check again.")
	default:
		// A panic or a timeout: show the panic's first lines, and where in
		// the student's code the stack was.
		out := cs.result.Output
		for _, name := range cs.result.Names((*gotest.Test).Failed) {
			out = cs.result.Tests[name].Output + out
		}
		if i := strings.Index(out, "panic:"); i >= 0 {
			head, _, _ := strings.Cut(out[i:], "\n\n")
			fmt.Fprintf(a.stdout, "\n%s\n\n", indent(firstLines(head, 8)))
		}
		if where := whereInChapter(out, cs.ch.Dir); where != "" {
			fmt.Fprintf(a.stdout, "It happened in your code at %s.\n", where)
		}
		fmt.Fprintln(a.stdout, "A test that panics or hangs stops the tests after it. Look at that line")
		fmt.Fprintln(a.stdout, "(a nil pointer? a read without a deadline? a lock never released?), then check again.")
	}
	fmt.Fprintf(a.stdout, "Raw output: %s check %s -v\n", a.self(), cs.ch.Number())
}

// whereInChapter finds, in a goroutine dump, the first frame in a
// non-test file of the chapter: "greet.go:9, in Greet". The tests' own
// watchdog (internal/testkit) reads dumps the same way.
func whereInChapter(dump, dir string) string { return gotest.WhereIn(dump, dir) }

// reportOther lists failing tests that belong to no step.
func (a *app) reportOther(tests []*gotest.Test) {
	fmt.Fprintln(a.stdout, "Also failing (not part of a step):")
	for _, t := range tests {
		fmt.Fprintf(a.stdout, "  %s: %s\n", t.Name, indentMore(gotest.FirstLines(t.Output, 3)))
	}
}

// firstLines keeps the first n lines of s.
func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}

// indent indents every line of s that is not empty.
func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n")
}

// indentMore indents the second and later lines of a message under its first.
func indentMore(s string) string { return strings.ReplaceAll(s, "\n", "\n      ") }
