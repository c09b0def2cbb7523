// Package verify proves the workshop's chapter contract for every chapter at
// once: skeletons build and fail step by step, solutions pass under -race,
// test files are identical, code is formatted and vetted, generated code is
// fresh and every relative link resolves. "go run ./cmd/workshop verify"
// runs it, and so does CI.
package verify

import (
	"context"
	"fmt"
	"io"
	"os/exec"
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
}

// Check is one rule, held or not, with what to do when it is not.
type Check struct {
	Name    string // what was checked
	OK      bool
	Skipped bool   // could not be checked here (say why in Detail)
	Detail  string // what was seen; for a failure, what to fix
}

// Section groups the checks of one chapter, or of the workshop as a whole.
type Section struct {
	Title  string
	Checks []Check
}

// Report is the outcome of a verify run.
type Report struct {
	Sections []Section
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

// Run verifies the workshop at opts.Root.
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

	v := &verifier{opts: opts}
	sections := make([]Section, len(chapters)+1)
	var wg sync.WaitGroup
	// Two at a time: go test already uses every core while it compiles, and
	// a chapter's tests spend much of their time waiting on the network.
	sem := make(chan struct{}, 2)
	for i, ch := range chapters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			sections[i] = v.chapter(ctx, ch)
		}()
	}
	wg.Wait()
	sections[len(chapters)] = v.workshop(ctx, c, opts.Chapter != "")
	return &Report{Sections: sections, Elapsed: time.Since(start)}, nil
}

type verifier struct {
	opts Options
	mu   sync.Mutex
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
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = v.opts.Root
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// runTests runs go test -json on the packages under dir with a deadline a
// little past the chapter's own -timeout, so a hang is reported, not waited on.
func (v *verifier) runTests(ctx context.Context, timeout time.Duration, args ...string) (*gotest.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout+2*time.Minute)
	defer cancel()
	args = append([]string{"-timeout", timeout.String()}, args...)
	return gotest.Run(ctx, v.opts.Root, args...)
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
