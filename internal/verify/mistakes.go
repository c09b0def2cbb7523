package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
)

// MistakesFile lists a chapter's wrong implementations, in its solution's
// folder: solutions/NN-x/mistakes.json.
const MistakesFile = "mistakes.json"

// MinMistakes is how many wrong implementations each chapter lists at least.
const MinMistakes = 10

// A Mistake is a realistic wrong implementation of a solution: one exact
// edit of one student file, which the tests of its step must reject.
type Mistake struct {
	Name string `json:"name"` // kebab-case, unique in the chapter
	Step int    `json:"step"` // the step whose tests must fail
	File string `json:"file"` // a student file, relative to the chapter's folder
	Why  string `json:"why"`  // one sentence: the mistake a student makes
	Old  string `json:"old"`  // text that occurs exactly once in the solution's file
	New  string `json:"new"`  // what the student wrote instead
}

// mistakeResult is what became of one mistake.
type mistakeResult struct {
	m      Mistake
	caught bool
	detail string // why it was not caught, or could not be tried
}

var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadMistakes reads and checks a chapter's list of wrong implementations.
func LoadMistakes(root string, ch course.Chapter) ([]Mistake, error) {
	rel := filepath.ToSlash(filepath.Join(ch.SolutionDir(), MistakesFile))
	data, err := os.ReadFile(filepath.Join(root, ch.SolutionDir(), MistakesFile))
	if err != nil {
		return nil, fmt.Errorf("%s is missing: list at least %d realistic wrong implementations there (docs/authoring.md says how)", rel, MinMistakes)
	}
	var list struct {
		Mistakes []Mistake `json:"mistakes"`
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("%s: %v", rel, err)
	}
	seen := map[string]bool{}
	var problems []string
	for i, m := range list.Mistakes {
		at := fmt.Sprintf("%s: mistake %d (%q)", rel, i+1, m.Name)
		f, ok := ch.FileOf(m.File)
		switch {
		case !kebab.MatchString(m.Name) || seen[m.Name]:
			problems = append(problems, at+": name it once, in kebab-case, e.g. \"close-does-not-wait\"")
		case strings.TrimSpace(m.Why) == "":
			problems = append(problems, at+": say in \"why\" which mistake a student makes")
		case !ok || f.Role != course.Student:
			problems = append(problems, fmt.Sprintf("%s: file %q is not a student file of %s in %s", at, m.File, ch.Dir, course.File))
		case m.Step < 1 || m.Step > len(ch.Steps):
			problems = append(problems, fmt.Sprintf("%s: step %d is not a step of %s, which has steps 1 to %d", at, m.Step, ch.Dir, len(ch.Steps)))
		case m.Old == "" || m.Old == m.New:
			problems = append(problems, at+": \"old\" must be the solution's text and \"new\" a different text")
		}
		seen[m.Name] = true
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return list.Mistakes, nil
}

// mistakes applies each wrong implementation of the chapter to its
// solution with go test -overlay (the tree is not touched) and requires the
// tests of the mistake's step to fail.
func (v *verifier) mistakes(ctx context.Context, ch course.Chapter, timeout time.Duration) Check {
	c := Check{Name: "wrong implementations are caught"}
	list, err := LoadMistakes(v.opts.Root, ch)
	if err != nil {
		c.Detail = err.Error()
		return c
	}
	v.progress("%s: trying %d wrong implementations", ch.Dir, len(list))
	start := time.Now()
	results := runMistakes(ctx, v.opts.Root, ch, list, timeout)
	v.progress("%s: %d wrong implementations took %s", ch.Dir, len(list), time.Since(start).Round(time.Second))
	return mistakesCheck(c, list, results)
}

// mistakesCheck sums the results up.
func mistakesCheck(c Check, list []Mistake, results []mistakeResult) Check {
	var missed []string
	caught := 0
	for _, r := range results {
		if r.caught {
			caught++
			continue
		}
		missed = append(missed, fmt.Sprintf("%s (step %d, %s: %s): %s", r.m.Name, r.m.Step, r.m.File, r.m.Why, r.detail))
	}
	c.n = caught
	switch {
	case len(missed) > 0:
		c.Detail = fmt.Sprintf("%d of %d wrong implementations caught; these were not:\n%s", caught, len(list), strings.Join(missed, "\n"))
	case len(list) < MinMistakes:
		c.Detail = fmt.Sprintf("%d wrong implementations caught, but the chapter lists only %d: list at least %d", caught, len(list), MinMistakes)
	default:
		c.OK = true
		c.Detail = fmt.Sprintf("%d wrong implementations caught", caught)
	}
	return c
}

// mistakeSlots bounds the go test runs of wrong implementations, all
// chapters together, to the number of cores.
var mistakeSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// runMistakes tries every mistake, as many at a time as there are cores
// (for all chapters together).
func runMistakes(ctx context.Context, root string, ch course.Chapter, list []Mistake, timeout time.Duration) []mistakeResult {
	results := make([]mistakeResult, len(list))
	sem := mistakeSlots
	var wg sync.WaitGroup
	for i, m := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = tryMistake(ctx, root, ch, m, timeout)
		}()
	}
	wg.Wait()
	return results
}

// tryMistake runs the tests of m's step on the solution with m applied.
func tryMistake(ctx context.Context, root string, ch course.Chapter, m Mistake, timeout time.Duration) mistakeResult {
	r := mistakeResult{m: m}
	path := filepath.Join(root, ch.SolutionDir(), filepath.FromSlash(m.File))
	abs, err := filepath.Abs(path)
	if err != nil {
		r.detail = err.Error()
		return r
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		r.detail = fmt.Sprintf("cannot read the solution's %s: %v", m.File, err)
		return r
	}
	src, old, new := string(data), m.Old, m.New
	if strings.Contains(src, "\r\n") && !strings.Contains(old, "\r\n") { // a CRLF checkout
		old, new = strings.ReplaceAll(old, "\n", "\r\n"), strings.ReplaceAll(new, "\n", "\r\n")
	}
	if n := strings.Count(src, old); n != 1 {
		r.detail = fmt.Sprintf("its \"old\" text occurs %d times in the solution's %s, not once: update the mistake to the solution as it is now", n, m.File)
		return r
	}
	dir, err := os.MkdirTemp("", "mistake-")
	if err != nil {
		r.detail = err.Error()
		return r
	}
	defer os.RemoveAll(dir)
	edited := filepath.Join(dir, filepath.Base(m.File))
	overlay := filepath.Join(dir, "overlay.json")
	spec, _ := json.Marshal(map[string]map[string]string{"Replace": {abs: edited}})
	if err := os.WriteFile(edited, []byte(strings.Replace(src, old, new, 1)), 0o644); err != nil {
		r.detail = err.Error()
		return r
	}
	if err := os.WriteFile(overlay, spec, 0o644); err != nil {
		r.detail = err.Error()
		return r
	}

	ctx, cancel := context.WithTimeout(ctx, timeout+time.Minute)
	defer cancel()
	step := course.Step{N: m.Step}
	// The overlay serves the compiler and, for a non-Go file such as a
	// .proto, the tests' own reads of it (testkit.Path).
	// -vet=off: verify vets the solution once; each edit needs only its tests.
	// gotest.Command: on Ctrl-C the test binary stops too, not just go test.
	cmd := gotest.Command(ctx, root, "go", "test", "-json", "-vet=off", "-overlay", overlay, "-count=1", "-timeout", timeout.String(),
		"-run", step.RunPattern(), "./"+filepath.ToSlash(ch.SolutionDir()))
	cmd.Env = append(os.Environ(), gotest.OverlayEnv+"="+overlay)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	res := gotest.Parse(out)
	res.BuildOutput += stderr.String()
	res.BuildFailed = res.BuildFailed || (len(res.Tests) == 0 && strings.Contains(stderr.String(), "build failed"))
	if exit, ok := err.(*exec.ExitError); ok {
		res.ExitCode, err = exit.ExitCode(), nil
	}
	switch {
	case err != nil:
		r.detail = "go test could not run: " + err.Error()
	case res.BuildFailed:
		r.detail = "the edited solution does not compile, so it shows nothing about the tests: make it a mistake that builds\n" + firstLines(res.BuildOutput, 5)
	case len(res.Tests) == 0:
		r.detail = fmt.Sprintf("no test of step %d ran", m.Step)
	default:
		failing := res.Names((*gotest.Test).Failed)
		if len(failing) > 0 || res.ExitCode != 0 {
			r.caught = true
			return r
		}
		r.detail = fmt.Sprintf("it passes every step %d test: add a test to step %d that fails on it, with a message that says what is wrong", m.Step, m.Step)
	}
	return r
}

// RunMistakes tries the wrong implementations of one chapter on their own,
// as verify does.
func RunMistakes(ctx context.Context, root string, ch course.Chapter) Check {
	v := &verifier{opts: Options{Root: root}}
	return v.mistakes(ctx, ch, ch.TestTimeout())
}
