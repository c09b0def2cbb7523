// Package gotest runs "go test -json" and sums up what happened to each
// test: the workshop command and the verify command read a chapter's
// progress from it.
package gotest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// Test is the outcome of one test (or subtest, named "TestX/sub").
type Test struct {
	Name    string
	Package string
	Action  string // "pass", "fail", "skip", or "run" if it never finished
	Output  string // everything the test printed, including t.Log and failures
	Runs    int    // how many times it finished (go test -count)
	Elapsed time.Duration
}

// Passed reports whether the test passed.
func (t *Test) Passed() bool { return t.Action == "pass" }

// Failed reports whether the test failed or never finished.
func (t *Test) Failed() bool { return t.Action == "fail" || t.Action == "run" }

// Result is everything one "go test -json" run reported.
type Result struct {
	Tests       map[string]*Test // by test name
	BuildFailed bool             // a package or its tests did not compile
	BuildOutput string           // the compiler's messages
	Panicked    bool             // a test panicked and took its binary down
	TimedOut    bool             // the run hit its -timeout
	Output      string           // output not attached to any test (package lines, panics)
	ExitCode    int
	Elapsed     time.Duration
}

// event is one line of go test -json (see "go doc test2json").
type event struct {
	Action      string
	Package     string
	ImportPath  string
	Test        string
	Output      string
	Elapsed     float64
	FailedBuild string
}

// Run runs "go test -json args..." in dir. Failing tests are not an error:
// they are in the result. Run returns an error only when go test could not
// be run or printed nothing it understood.
func Run(ctx context.Context, dir string, args ...string) (*Result, error) {
	return RunEnv(ctx, dir, nil, args...)
}

// RunEnv is Run with env added to the go command's environment
// ("CGO_ENABLED=0"). When ctx ends, go test and every test binary it
// started stop at once.
func RunEnv(ctx context.Context, dir string, env []string, args ...string) (*Result, error) {
	start := time.Now()
	cmd := Command(ctx, dir, "go", append([]string{"test", "-json"}, args...)...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	r := Parse(stdout.Bytes())
	r.Elapsed = time.Since(start)
	if stderr.Len() > 0 {
		// Build errors of packages without tests, and "go: ..." errors.
		r.BuildOutput += stderr.String()
		if !strings.Contains(stderr.String(), "no test files") {
			r.BuildFailed = r.BuildFailed || len(r.Tests) == 0
		}
	}
	return finish(ctx, r, runErr, "go test")
}

// finish records how a run of what ended: timed out when ctx is done, else
// its exit code. An error that is not an exit status (the program could not
// start) is returned.
func finish(ctx context.Context, r *Result, runErr error, what string) (*Result, error) {
	if ctx.Err() != nil {
		r.TimedOut = true
		return r, nil
	}
	if exitErr, ok := runErr.(*exec.ExitError); ok {
		r.ExitCode = exitErr.ExitCode()
	} else if runErr != nil {
		return r, fmt.Errorf("%s: %w", what, runErr)
	}
	return r, nil
}

// Parse reads the output of go test -json.
func Parse(data []byte) *Result {
	r := &Result{Tests: map[string]*Test{}}
	var build, other strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			other.WriteString(sc.Text() + "\n")
			continue
		}
		switch {
		case e.Action == "build-output":
			build.WriteString(e.Output)
		case e.Action == "build-fail" || e.FailedBuild != "":
			r.BuildFailed = true
		case e.Test != "":
			t := r.Tests[e.Test]
			if t == nil {
				t = &Test{Name: e.Test, Package: e.Package, Action: "run"}
				r.Tests[e.Test] = t
			}
			switch e.Action {
			case "output":
				t.Output += e.Output
			case "pass", "fail", "skip":
				// With -count=N a test runs N times: one failure fails it.
				if t.Action != "fail" {
					t.Action = e.Action
				}
				t.Runs++
				t.Elapsed += time.Duration(e.Elapsed * float64(time.Second))
			}
		case e.Action == "output":
			other.WriteString(e.Output)
		}
		if strings.HasPrefix(e.Output, "panic: test timed out") {
			r.TimedOut = true
		} else if strings.HasPrefix(e.Output, "panic: ") {
			r.Panicked = true
		}
	}
	r.BuildOutput = build.String()
	r.Output = other.String()
	return r
}

// Names returns the names of the tests that satisfy keep, sorted.
func (r *Result) Names(keep func(*Test) bool) []string {
	var names []string
	for name, t := range r.Tests {
		if keep(t) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// FirstLines returns the first n meaningful lines a test printed: what a
// student should read first. The "=== RUN" and "--- FAIL" lines are left out.
func FirstLines(output string, n int) string {
	var lines []string
	for _, line := range strings.Split(output, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "=== ") || strings.HasPrefix(trimmed, "--- ") {
			continue
		}
		lines = append(lines, trimmed)
		if len(lines) == n {
			break
		}
	}
	return strings.Join(lines, "\n")
}
