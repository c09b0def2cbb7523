package verify

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
	"github.com/rpcworkshop/workshop/internal/markdown"
)

// chapter checks one chapter against the contract. The deep checks (wrong
// implementations, jump states) run later, in deep.go.
func (v *verifier) chapter(ctx context.Context, ch course.Chapter) Section {
	s := Section{Title: ch.Dir}
	if !ch.Present() {
		s.Checks = append(s.Checks, v.planned(ch))
		return s
	}
	timeout := ch.TestTimeout()
	skel := "./" + ch.Dir + "/..."

	files := []Check{v.sameTests(ch), v.sameGiven(ch), v.declared(ch), v.guides(ch)}
	if v.opts.scope == filesOnly {
		return s.with(files...)
	}
	v.progress("%s: building and vetting", ch.Dir)
	s.Checks = append(s.Checks,
		v.vetOf(ctx, "skeleton builds and vets", ch.Dir),
		v.vetOf(ctx, "solution builds and vets", ch.SolutionDir()),
	)
	s.Checks = append(s.Checks, files...)
	if !s.Checks[0].OK || !s.Checks[1].OK {
		return s
	}

	var skelCheck, solCheck Check
	var wg sync.WaitGroup
	wg.Go(func() {
		v.progress("%s: running the skeleton's tests", ch.Dir)
		res, err := v.runTests(ctx, timeout, skel)
		skelCheck = skeletonCheck(ch, timeout, res, err)
	})
	wg.Go(func() { solCheck = v.solution(ctx, ch, timeout) })
	wg.Wait()
	return s.with(skelCheck, solCheck)
}

func (s Section) with(checks ...Check) Section {
	s.Checks = append(s.Checks, checks...)
	return s
}

// Shards is how many processes run a solution's tests at once, sharing
// out its -count runs: 20 runs are 4 in each of 5 processes.
const Shards = 5

// solution builds the solution's tests once, with -race where it can run,
// and runs them -count times in all, in Shards processes at once.
func (v *verifier) solution(ctx context.Context, ch course.Chapter, timeout time.Duration) Check {
	name := v.raceName("solution passes")
	v.progress("%s: running the solution's tests %s: %d runs, in %d processes at once", ch.Dir, strings.TrimPrefix(name, "solution passes "), v.opts.Count, min(Shards, v.opts.Count))
	ctx, cancel := context.WithTimeout(ctx, timeout*time.Duration(v.opts.Count)+2*time.Minute)
	defer cancel()
	out := filepath.Join(v.tmp, "solutions", ch.Dir)
	bins, res, err := gotest.Build(ctx, v.opts.Root, out, v.opts.Env, v.race(), "./"+filepath.ToSlash(ch.SolutionDir())+"/...")
	if err == nil && !res.BuildFailed && !res.TimedOut {
		res, err = gotest.RunShards(ctx, bins, v.opts.Env, v.opts.Count, Shards, timeout)
	}
	c := solutionCheck(ch, res, err)
	c.Name = name
	v.progress("%s: the solution's tests are done (%s)", ch.Dir, okOrNot(c))
	return c
}

// planned accepts a chapter that has not landed yet: its folder holds a
// README that says what it will be, and no steps are claimed for it.
func (v *verifier) planned(ch course.Chapter) Check {
	c := Check{Name: "planned: README only, no steps yet", OK: true}
	if _, err := os.Stat(filepath.Join(v.opts.Root, ch.Dir, "README.md")); err != nil {
		c.OK = false
		c.Detail = fmt.Sprintf("%s/README.md is missing: a planned chapter keeps a README with its goal", ch.Dir)
	}
	return c
}

// vetOf is the part of go vet ./... that concerns the packages under dir.
func (v *verifier) vetOf(ctx context.Context, name, dir string) Check {
	pattern := "./" + filepath.ToSlash(dir) + "/..."
	if out := v.vetIn(ctx, dir); out != "" {
		return Check{Name: name, Detail: "go vet " + pattern + " failed: fix these first\n" + firstLines(out, 15)}
	}
	return Check{Name: name, OK: true}
}

// skeletonCheck: the skeleton's tests fail, but only as expected.
func skeletonCheck(ch course.Chapter, timeout time.Duration, res *gotest.Result, err error) Check {
	c := Check{Name: "skeleton fails step by step"}
	switch {
	case err != nil:
		c.Detail = err.Error()
		return c
	case res.BuildFailed:
		c.Detail = "the skeleton's tests do not compile: the skeleton must build as shipped\n" + firstLines(res.BuildOutput, 10)
		return c
	case res.TimedOut:
		hung := res.Names(func(t *gotest.Test) bool { return t.Action == "run" && !strings.Contains(t.Name, "/") })
		c.Detail = fmt.Sprintf("the skeleton's tests ran past the chapter's %s timeout (still running: %s): unfinished code must return a step error at once, and every network wait in a test needs a short deadline",
			timeout, strings.Join(hung, ", "))
		return c
	case res.Panicked:
		c.Detail = "a skeleton test panicked: unfinished code must return an error that names its step, never panic\n" + firstLines(panicLines(res), 6)
		return c
	}

	var problems []string
	failingByStep := map[int]int{}
	for _, name := range res.Names(func(t *gotest.Test) bool { return t.Failed() && !strings.Contains(t.Name, "/") }) {
		n := course.StepOf(name)
		if n == 0 || n > len(ch.Steps) {
			problems = append(problems, fmt.Sprintf("%s fails in the skeleton but its name does not name a step of this chapter: rename it TestStepN_... for the step it checks, or make it pass in the skeleton", name))
			continue
		}
		failingByStep[n]++
	}
	for _, st := range ch.Steps {
		if failingByStep[st.N] == 0 {
			problems = append(problems, fmt.Sprintf("step %d (%s) has no failing test in the skeleton: the skeleton must leave the step for the student, and a test must notice", st.N, st.Title))
		}
	}
	problems = append(problems, listedTests(ch, res)...)
	if len(problems) > 0 {
		c.Detail = strings.Join(problems, "\n")
		return c
	}
	var failing int
	for _, n := range failingByStep {
		failing += n
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%d steps, %d failing tests, each naming its step (%.1fs)", len(ch.Steps), failing, res.Elapsed.Seconds())
	return c
}

// listedTests compares the step tests that exist with those course.json lists.
func listedTests(ch course.Chapter, res *gotest.Result) []string {
	var problems []string
	listed := map[string]bool{}
	for _, st := range ch.Steps {
		for _, name := range st.Tests {
			listed[name] = true
			if res.Tests[name] == nil {
				problems = append(problems, fmt.Sprintf("%s is listed for step %d in %s but no such test ran: fix the name in course.json", name, st.N, course.File))
			}
		}
	}
	for _, name := range res.Names(func(t *gotest.Test) bool { return course.StepOf(t.Name) > 0 && !strings.Contains(t.Name, "/") }) {
		if !listed[name] {
			problems = append(problems, fmt.Sprintf("%s is not listed under step %d in %s: add it so the workshop command counts it", name, course.StepOf(name), course.File))
		}
	}
	return problems
}

func panicLines(res *gotest.Result) string {
	for _, t := range res.Tests {
		if i := strings.Index(t.Output, "panic: "); i >= 0 {
			return t.Name + ": " + t.Output[i:]
		}
	}
	if i := strings.Index(res.Output, "panic: "); i >= 0 {
		return res.Output[i:]
	}
	return ""
}

// failureLines is the start of what a failed test printed or, when it
// printed nothing of its own, of what its first failed subtest printed.
func failureLines(res *gotest.Result, name string) string {
	if out := gotest.FirstLines(res.Tests[name].Output, 3); strings.TrimSpace(out) != "" {
		return out
	}
	subs := res.Names(func(t *gotest.Test) bool { return t.Failed() && strings.HasPrefix(t.Name, name+"/") })
	if len(subs) == 0 {
		return ""
	}
	slices.Sort(subs)
	return subs[0] + ": " + gotest.FirstLines(res.Tests[subs[0]].Output, 3)
}

// solutionCheck: every test of the solution passes.
func solutionCheck(ch course.Chapter, res *gotest.Result, err error) Check {
	c := Check{Name: "solution passes with -race"}
	switch {
	case err != nil:
		c.Detail = err.Error()
		return c
	case res.BuildFailed && ch.Dir == "":
		c.Detail = "a package's tests do not compile\n" + firstLines(res.BuildOutput, 10)
		return c
	case res.BuildFailed:
		c.Detail = "the solution does not compile\n" + firstLines(res.BuildOutput, 10)
		return c
	case res.TimedOut:
		c.Detail = "the solution's tests ran past the chapter's timeout: look for a missing deadline or a leaked goroutine"
		return c
	}
	failed := res.Names(func(t *gotest.Test) bool { return t.Failed() && !strings.Contains(t.Name, "/") })
	if len(failed) > 0 || res.ExitCode != 0 {
		var b strings.Builder
		whose := "the solution"
		if ch.Dir == "" {
			whose = "the workshop"
		}
		fmt.Fprintf(&b, "%s must pass every test; failing: %s", whose, strings.Join(failed, ", "))
		for _, name := range failed {
			fmt.Fprintf(&b, "\n%s: %s", name, failureLines(res, name))
		}
		if len(failed) == 0 {
			b.WriteString("\n" + firstLines(res.Output, 10))
		}
		c.Detail = b.String()
		return c
	}
	c.OK = true
	var passed, runs int
	for _, t := range res.Tests {
		if t.Passed() && !strings.Contains(t.Name, "/") {
			passed++
			runs += t.Runs
		}
	}
	c.Detail = fmt.Sprintf("%d tests passed, %d runs in all (%.1fs)", passed, runs, res.Elapsed.Seconds())
	if skipped := res.Names(func(t *gotest.Test) bool { return t.Action == "skip" && !strings.Contains(t.Name, "/") }); len(skipped) > 0 {
		c.Detail += "; skipped here: " + strings.Join(skipped, ", ") + " (" + gotest.FirstLines(res.Tests[skipped[0]].Output, 1) + ")"
	}
	return c
}

// sameTests: the chapter's *_test.go files and testdata equal the solution's.
func (v *verifier) sameTests(ch course.Chapter) Check {
	c := Check{Name: "test files and testdata identical to the solution's"}
	skelDir := filepath.Join(v.opts.Root, ch.Dir)
	solDir := filepath.Join(v.opts.Root, ch.SolutionDir())
	skel, err1 := testFiles(skelDir)
	sol, err2 := testFiles(solDir)
	if err1 != nil || err2 != nil {
		c.Detail = fmt.Sprintf("cannot list test files: %v %v", err1, err2)
		return c
	}
	var problems []string
	for _, f := range union(skel, sol) {
		a, errA := os.ReadFile(filepath.Join(skelDir, f))
		b, errB := os.ReadFile(filepath.Join(solDir, f))
		switch {
		case errA != nil:
			problems = append(problems, fmt.Sprintf("%s is in %s but not in %s: copy it over", f, ch.SolutionDir(), ch.Dir))
		case errB != nil:
			problems = append(problems, fmt.Sprintf("%s is in %s but not in %s: copy it over", f, ch.Dir, ch.SolutionDir()))
		case !bytes.Equal(a, b):
			problems = append(problems, fmt.Sprintf("%s differs between %s and %s: the tests must be the same file in both (diff %s %s)",
				f, ch.Dir, ch.SolutionDir(), filepath.Join(ch.Dir, f), filepath.Join(ch.SolutionDir(), f)))
		}
	}
	if len(skel) == 0 {
		problems = append(problems, ch.Dir+" has no test files")
	}
	if len(problems) > 0 {
		c.Detail = strings.Join(problems, "\n")
		return c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%d files", len(skel))
	return c
}

// testFiles lists, relative to dir, its *_test.go files and everything
// under a testdata folder.
func testFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		inTestdata := slices.Contains(strings.Split(filepath.ToSlash(rel), "/"), "testdata")
		if inTestdata || strings.HasSuffix(rel, "_test.go") {
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range append(slices.Clone(a), b...) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// guides: the chapter's README has a section per step, and HINTS.md hints
// for each step.
func (v *verifier) guides(ch course.Chapter) Check {
	c := Check{Name: "README and HINTS cover every step"}
	var problems []string
	for _, name := range []string{"README.md", "HINTS.md"} {
		data, err := os.ReadFile(filepath.Join(v.opts.Root, ch.Dir, name))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s/%s is missing", ch.Dir, name))
			continue
		}
		found := map[int]bool{}
		for _, s := range markdown.Parse(data).Steps() {
			found[s.N] = true
		}
		for _, st := range ch.Steps {
			if !found[st.N] {
				problems = append(problems, fmt.Sprintf("%s/%s has no \"## Step %d\" section", ch.Dir, name, st.N))
			}
		}
	}
	if len(problems) > 0 {
		c.Detail = strings.Join(problems, "\n")
		return c
	}
	c.OK = true
	return c
}
