package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
	"github.com/rpcworkshop/workshop/internal/skeleton"
)

// stepState is how far one step is: done when all its tests pass.
type stepState struct {
	step    course.Step
	done    bool
	failing []*gotest.Test // its tests that failed or never finished
	missing []string       // its tests that did not run at all
	skipped []*gotest.Test // its tests that skipped (they count as done)
}

// chapterState is one chapter's test run, step by step.
type chapterState struct {
	ch     course.Chapter
	result *gotest.Result
	err    error // the tests could not be run at all
	steps  []stepState
	other  []*gotest.Test // failing tests that belong to no step

	skipped bool // the student skipped it (workshop skip): not run, not next
}

// testChapter runs a chapter's tests with go test -json and sorts the
// outcome into steps.
func (a *app) testChapter(ctx context.Context, ch course.Chapter) chapterState {
	cs := chapterState{ch: ch}
	if _, err := os.Stat(a.dir(ch.Dir)); err != nil {
		cs.err = fmt.Errorf("the folder %s is missing", ch.Dir)
		return cs
	}
	timeout := ch.TestTimeout()
	// go test -timeout stops a hanging test; this deadline is only a safety
	// net, with room for a first run that compiles gRPC on a slow machine.
	ctx, cancel := context.WithTimeout(ctx, timeout+10*time.Minute)
	defer cancel()
	cs.result, cs.err = gotest.Run(ctx, a.dir(ch.Dir), "-timeout", timeout.String(), "./...")
	if cs.err != nil {
		return cs
	}
	inStep := map[string]bool{}
	for _, s := range ch.Steps {
		ss := stepState{step: s}
		for _, name := range s.Tests {
			inStep[name] = true
			t, ok := cs.result.Tests[name]
			switch {
			case !ok:
				ss.missing = append(ss.missing, name)
			case t.Action == "skip":
				ss.skipped = append(ss.skipped, t)
			case !t.Passed():
				ss.failing = append(ss.failing, t)
			}
		}
		ss.done = len(ss.failing) == 0 && len(ss.missing) == 0
		cs.steps = append(cs.steps, ss)
	}
	for _, name := range cs.result.Names((*gotest.Test).Failed) {
		if !inStep[name] && !strings.Contains(name, "/") {
			cs.other = append(cs.other, cs.result.Tests[name])
		}
	}
	return cs
}

// testChapters runs several chapters' tests at once. A first run compiles
// everything, so after a moment it says why it takes a while.
func (a *app) testChapters(ctx context.Context, chapters []course.Chapter) []chapterState {
	finished, noticed := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(noticed)
		select {
		case <-time.After(2 * time.Second):
			fmt.Fprintln(a.stderr, "Running each chapter's tests (the first run compiles everything and takes a minute; later runs are quick)...")
		case <-finished:
		}
	}()
	defer func() { close(finished); <-noticed }() // no write to stderr after we return
	states := make([]chapterState, len(chapters))
	var wg sync.WaitGroup
	for i, ch := range chapters {
		wg.Go(func() { states[i] = a.testChapter(ctx, ch) })
	}
	wg.Wait()
	return states
}

// untouched reports whether a chapter's files are exactly its original
// skeleton.
func (a *app) untouched(originals skeleton.Files, ch course.Chapter) bool {
	p, err := a.planReset(originals, ch)
	return err == nil && p.empty()
}

// notStarted is the state of a chapter that is still its skeleton: no
// step done.
func notStarted(ch course.Chapter) chapterState {
	cs := chapterState{ch: ch, result: &gotest.Result{}}
	for _, s := range ch.Steps {
		cs.steps = append(cs.steps, stepState{step: s})
	}
	return cs
}

// doneCount is how many steps are done.
func (cs chapterState) doneCount() int {
	n := 0
	for _, s := range cs.steps {
		if s.done {
			n++
		}
	}
	return n
}

// next is the first step not done.
func (cs chapterState) next() (stepState, bool) {
	for _, s := range cs.steps {
		if !s.done {
			return s, true
		}
	}
	return stepState{}, false
}

// broken says what stopped the tests from running normally, or "".
func (cs chapterState) broken() string {
	switch {
	case cs.err != nil:
		return "tests could not run: " + cs.err.Error()
	case cs.result.BuildFailed:
		return "does not compile"
	case cs.result.TimedOut:
		return "a test ran past the " + cs.ch.Timeout + " timeout"
	case cs.result.Panicked:
		return "a test panicked"
	}
	return ""
}

// runProgress prints the progress table: each chapter, its steps done, and
// the next step with the command to run.
func runProgress(ctx context.Context, a *app, args []string) int {
	if len(args) > 0 {
		return a.fail(usagef("unknown subcommand %q; run %s help", args[0], a.self()))
	}
	states := a.progress(ctx)
	if ctx.Err() != nil {
		return exitNotDone
	}
	a.printTable(states)
	a.reportToRoom(ctx, a.testedChapters(states)...)
	return exitOK
}

// progress finds how far each written chapter is, by chapter folder.
func (a *app) progress(ctx context.Context) map[string]chapterState {
	// A chapter still exactly as shipped needs no test run: its skeleton
	// fails every step by design. Only the others run their tests.
	originals, _ := skeleton.Load(a.root) // without it, every chapter runs
	states := map[string]chapterState{}
	skipped := a.loadSkips()
	var run []course.Chapter
	for _, ch := range a.course.Chapters {
		switch {
		case !ch.Present():
		case skipped[ch.Dir]:
			cs := notStarted(ch)
			cs.skipped = true
			states[ch.Dir] = cs
		case a.untouched(originals, ch):
			states[ch.Dir] = notStarted(ch)
		default:
			run = append(run, ch)
		}
	}
	for _, cs := range a.testChapters(ctx, run) {
		states[cs.ch.Dir] = cs
	}
	return states
}

// printTable prints one line per chapter, then what to do next.
func (a *app) printTable(states map[string]chapterState) {
	done := 0
	for _, cs := range states {
		if _, notDone := cs.next(); !notDone && cs.broken() == "" {
			done++
		}
	}
	fmt.Fprintf(a.stdout, "%s: %d of %d chapters done", a.paint(bold, "Your workshop"), done, len(states))
	if planned := len(a.course.Chapters) - len(states); planned > 0 {
		fmt.Fprintf(a.stdout, ", %d more planned", planned)
	}
	fmt.Fprint(a.stdout, "\n\n")

	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	var first *chapterState // the first chapter not done
	var broken []chapterState
	var skips []string
	for _, ch := range a.course.Chapters {
		cs, ok := states[ch.Dir]
		if !ok {
			fmt.Fprintf(tw, "  %s\t%s\t\t%s\n", ch.Dir, ch.Title, a.paint(dim, "planned"))
			continue
		}
		count := fmt.Sprintf("%d/%d", cs.doneCount(), len(ch.Steps))
		next, notDone := cs.next()
		var status string
		switch {
		case cs.skipped:
			count = fmt.Sprintf("-/%d", len(ch.Steps)) // not run
			status = a.paint(dim, "skipped")
		case cs.broken() != "":
			count = fmt.Sprintf("?/%d", len(ch.Steps)) // the tests did not say
			status = a.paint(red, cs.broken())
		case !notDone && cs.crossLanguageSkipped() != "":
			status = a.paint(green, "done") + ", " + cs.crossLanguageSkipped()
		case !notDone:
			status = a.paint(green, "done")
		default:
			status = fmt.Sprintf("next: step %d, %s", next.step.N, next.step.Title)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", ch.Dir, ch.Title, count, status)
		if cs.broken() != "" {
			broken = append(broken, cs)
		}
		if first == nil && !cs.skipped && (notDone || cs.broken() != "") {
			first = &cs
		}
		if cs.skipped {
			skips = append(skips, ch.Number())
		}
	}
	tw.Flush()
	fmt.Fprintln(a.stdout)

	switch {
	case len(states) == 0:
		fmt.Fprintln(a.stdout, "No chapter is ready yet: come back when the first one has landed.")
	case first == nil && len(skips) > 0:
		fmt.Fprintf(a.stdout, "Every chapter that is written is done or skipped.\n")
	case first == nil:
		fmt.Fprintf(a.stdout, "Every chapter that is written is done. Well done!\nCompare your code with the solutions: %s diff <chapter>\n", a.self())
	default:
		a.printNext(*first)
	}
	// Every chapter that does not compile says where to see why, not only
	// the first one not done.
	for _, cs := range broken {
		if first == nil || cs.ch.Dir != first.ch.Dir {
			fmt.Fprintf(a.stdout, "%s %s. See why: %s check %s\n", cs.ch.Dir, cs.broken(), a.self(), cs.ch.Number())
		}
	}
	if len(skips) > 0 {
		fmt.Fprintf(a.stdout, "Skipped: %s. To take one back: %s skip <chapter> --undo\n", strings.Join(skips, ", "), a.self())
	}
}

// printNext says what to do next in a chapter that is not done.
func (a *app) printNext(cs chapterState) {
	ch := cs.ch
	if b := cs.broken(); b != "" {
		fmt.Fprintf(a.stdout, "%s %s %s.\n", a.paint(bold, "Next:"), ch.Dir, b)
		fmt.Fprintf(a.stdout, "  See why: %s check %s\n", a.self(), ch.Number())
		return
	}
	next, _ := cs.next()
	fmt.Fprintf(a.stdout, "%s %s, step %d: %s\n", a.paint(bold, "Next:"), ch.Dir, next.step.N, next.step.Title)
	fmt.Fprintf(a.stdout, "  Read:   %s\n", a.readStep(ch, next.step.N))
	fmt.Fprintf(a.stdout, "  Run:    %s\n", a.paint(cyan, a.testCommand(ch, next.step)))
	fmt.Fprintf(a.stdout, "  Stuck?  %s hint %s %d\n", a.self(), ch.Number(), next.step.N)
}

// sortedTests orders tests by name, for stable output.
func sortedTests(tests []*gotest.Test) []*gotest.Test {
	sort.Slice(tests, func(i, j int) bool { return tests[i].Name < tests[j].Name })
	return tests
}
