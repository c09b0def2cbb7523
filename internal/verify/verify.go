// Package verify proves the workshop's chapter contract for every chapter at
// once: skeletons build and fail step by step, solutions pass under -race,
// test and given files are identical, every file is declared, code is
// formatted and vetted, generated code and the reset snapshot are fresh and
// every relative link resolves. Then the deep checks, each on a line of its
// own with its time: wrong implementations are caught, jump states hold,
// everything builds for every laptop. "go run ./cmd/workshop verify" runs
// it, and so does CI.
package verify

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
)

// Options says what to verify and how hard.
type Options struct {
	Root     string    // the workshop's root folder
	Count    int       // how many times the solutions run (-count)
	Chapter  string    // only this chapter, if set
	Progress io.Writer // where to say what is running; may be nil
	Env      []string  // added to every go command's environment, e.g. "CGO_ENABLED=0"

	// The deep checks. The command turns them all on; a test of one check
	// leaves the others off.
	Mistakes bool     // each chapter's wrong implementations fail their step
	Jumps    bool     // each jump state passes the earlier steps and fails its own
	Targets  []string // GOOS/GOARCH pairs every package and test binary must vet and build for
	CRLF     bool     // a clone with CRLF line ends works (the machinery's slowest test, on its own)
	Script   bool     // the instructor's live-coding script plays, command by command

	scope scope // for verify's own tests: run only some of the contract's checks
}

// scope narrows the contract's checks for a test that breaks one rule and
// needs only the checks that could notice.
type scope int

const (
	everything   scope = iota
	filesOnly          // only the checks that read files: no go command runs
	chaptersOnly       // the chapters' checks and go vet, not the workshop's generated code and tests
)

// Targets are the laptops students bring.
var Targets = []string{"windows/amd64", "darwin/arm64", "linux/amd64"}

// Check is one rule, held or not, with what to do when it is not.
type Check struct {
	Name    string // what was checked
	OK      bool
	Skipped bool   // could not be checked here (say why in Detail)
	Detail  string // what was seen; for a failure, what to fix

	n int // how many things it proved (wrong implementations caught...), for its timing line
}

// Section groups the checks of one chapter, or of the workshop as a whole.
type Section struct {
	Title  string
	Checks []Check
}

// Timing is one line of the report's closing: what ran and how long it took.
type Timing struct {
	What    string // "wrong implementations"
	Summary string // "57 caught"
	Took    time.Duration
}

func (t Timing) String() string {
	return fmt.Sprintf("%s: %s in %.0fs", t.What, t.Summary, t.Took.Seconds())
}

// Report is the outcome of a verify run.
type Report struct {
	Sections []Section
	Notes    []string // said once, before the closing lines
	Timings  []Timing
	Elapsed  time.Duration
}

// Counts returns how many checks passed, failed and were skipped.
func (r *Report) Counts() (passed, failed, skipped int) {
	for _, s := range r.Sections {
		for _, c := range s.Checks {
			switch {
			case c.Skipped:
				skipped++
			case c.OK:
				passed++
			default:
				failed++
			}
		}
	}
	return passed, failed, skipped
}

// Failed returns the checks that did not hold, with their section's title.
func (r *Report) Failed() []string {
	var out []string
	for _, s := range r.Sections {
		for _, c := range s.Checks {
			if !c.OK && !c.Skipped {
				out = append(out, s.Title+": "+c.Name)
			}
		}
	}
	return out
}

// Run verifies the workshop at opts.Root. When ctx ends first, Run returns
// ctx's error and no report: a check cut short proves nothing either way.
func Run(ctx context.Context, opts Options) (*Report, error) {
	start := time.Now()
	if opts.Count <= 0 {
		opts.Count = 20
	}
	c, err := course.Load(opts.Root)
	if err != nil {
		return nil, err
	}
	chapters := c.Chapters
	if opts.Chapter != "" {
		ch, ok := c.Chapter(opts.Chapter)
		if !ok {
			return nil, fmt.Errorf("no chapter %q; the chapters are: %s", opts.Chapter, chapterList(c))
		}
		chapters = []course.Chapter{ch}
	}
	tmp, err := os.MkdirTemp("", "verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	v := &verifier{opts: opts, course: c, tmp: tmp}
	report := &Report{}
	if why := gotest.RaceProblem(ctx, opts.Root); why != "" {
		v.noRace = true
		report.Notes = append(report.Notes, "ran without -race: "+why)
	}

	// The contract: every check is independent of the others but for the
	// builds they share, so they all start at once; go test waits on the
	// network and on timers much more than it computes.
	sections := make([]Section, len(chapters)+1)
	var wg sync.WaitGroup
	for i, ch := range chapters {
		wg.Go(func() { sections[i] = v.chapter(ctx, ch) })
	}
	wg.Go(func() { sections[len(chapters)] = v.workshop(ctx, c, opts.Chapter != "") })
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var checks int
	for _, s := range sections {
		checks += len(s.Checks)
	}
	report.Timings = append(report.Timings, Timing{"chapter contract", fmt.Sprintf("%d checks", checks), time.Since(start)})

	// The deep checks, one after another so that each line's time is its own.
	v.deep(ctx, report, sections, chapters)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	report.Sections = sections
	report.Elapsed = time.Since(start)
	return report, nil
}

type verifier struct {
	opts   Options
	course *course.Course
	tmp    string // a folder of its own for test binaries and overlays
	noRace bool   // -race cannot run here (no cgo, no C compiler)
	mu     sync.Mutex

	vetOnce sync.Once
	vetOut  string // what go vet ./... printed
	vetErr  error
}

func (v *verifier) progress(format string, args ...any) {
	if v.opts.Progress == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	fmt.Fprintf(v.opts.Progress, format+"\n", args...)
}

// goCmd runs a go command in the root and returns its combined output.
func (v *verifier) goCmd(ctx context.Context, args ...string) (string, error) {
	return v.goCmdEnv(ctx, nil, args...)
}

func (v *verifier) goCmdEnv(ctx context.Context, env []string, args ...string) (string, error) {
	cmd := gotest.Command(ctx, v.opts.Root, "go", args...)
	cmd.Env = append(append(os.Environ(), v.opts.Env...), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// race is the -race flag, or nothing where the race detector cannot run.
func (v *verifier) race() []string {
	if v.noRace {
		return nil
	}
	return []string{"-race"}
}

// raceName names a check that runs with -race where it can.
func (v *verifier) raceName(name string) string {
	if v.noRace {
		return name + " (without -race)"
	}
	return name + " with -race"
}

// runTests runs go test -json on the packages under dir with a deadline a
// little past the chapter's own -timeout, so a hang is reported, not waited on.
func (v *verifier) runTests(ctx context.Context, timeout time.Duration, args ...string) (*gotest.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout+2*time.Minute)
	defer cancel()
	// -vet=off: go vet ./... has vetted everything once already.
	args = append([]string{"-vet=off", "-timeout", timeout.String()}, args...)
	return gotest.RunEnv(ctx, v.opts.Root, v.opts.Env, args...)
}

func chapterList(c *course.Course) string {
	var names []string
	for _, ch := range c.Chapters {
		names = append(names, ch.Dir)
	}
	return strings.Join(names, ", ")
}

// indent prefixes every line of s, for output under a check.
func indent(s, prefix string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// firstLines keeps at most n lines of s.
func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "\n")
}
