package verify

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
)

// deep runs the checks that take long, after the contract's: each kind
// runs over every chapter at once, one kind after another, so that the
// line that times it measures that kind alone.
func (v *verifier) deep(ctx context.Context, report *Report, sections []Section, chapters []course.Chapter) {
	perChapter := []struct {
		on      bool
		what    string // the timing line's name
		counted string // what its count counts
		needs   string // the check (by name prefix) that must hold first
		why     string // said when it does not
		name    string // the check's name when it cannot run
		run     func(context.Context, course.Chapter, time.Duration) Check
	}{
		{v.opts.Mistakes, "wrong implementations", "caught", "solution passes", "the solution fails its own tests",
			"wrong implementations are caught", v.mistakes},
		{v.opts.Jumps, "jump states", "checked", "skeleton builds and vets", "the skeleton does not build",
			"jump states: each step starts where the earlier ones end", v.jumps},
	}
	for _, kind := range perChapter {
		if !kind.on || ctx.Err() != nil {
			continue
		}
		start := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var n int
		var failed []string
		for i, ch := range chapters {
			if !ch.Present() {
				continue
			}
			if !holds(sections[i], kind.needs) {
				sections[i].Checks = append(sections[i].Checks, Check{Name: kind.name, Skipped: true, Detail: kind.why})
				continue
			}
			wg.Go(func() {
				c := kind.run(ctx, ch, ch.TestTimeout())
				mu.Lock()
				defer mu.Unlock()
				sections[i].Checks = append(sections[i].Checks, c)
				n += c.n
				if !c.OK && !c.Skipped {
					failed = append(failed, ch.Dir)
				}
			})
		}
		wg.Wait()
		report.Timings = append(report.Timings, Timing{kind.what, summary(n, kind.counted, failed), time.Since(start)})
	}

	ws := &sections[len(sections)-1]
	if v.opts.CRLF && v.opts.Chapter == "" && ctx.Err() == nil {
		start := time.Now()
		c := v.crlf(ctx)
		ws.Checks = append(ws.Checks, c)
		report.Timings = append(report.Timings, Timing{"CRLF checkout", okOrNot(c), time.Since(start)})
	}
	if v.opts.Script && v.opts.Chapter == "" && ctx.Err() == nil {
		start := time.Now()
		c := v.script(ctx, &course.Course{Chapters: chapters})
		ws.Checks = append(ws.Checks, c)
		report.Timings = append(report.Timings, Timing{"live-coding script", okOrNot(c), time.Since(start)})
	}
	if len(v.opts.Targets) > 0 && ctx.Err() == nil {
		start := time.Now()
		patterns := []string{"./..."}
		if v.opts.Chapter != "" { // only the chapter is being verified
			ch := chapters[0]
			patterns = []string{"./" + ch.Dir + "/...", "./" + filepath.ToSlash(ch.SolutionDir()) + "/..."}
		}
		c := v.targets(ctx, patterns...)
		ws.Checks = append(ws.Checks, c)
		report.Timings = append(report.Timings, Timing{"builds for every laptop", strings.Join(v.opts.Targets, ", ") + ": " + okOrNot(c), time.Since(start)})
	}
}

// holds reports whether the section's check whose name starts with prefix held.
func holds(s Section, prefix string) bool {
	for _, c := range s.Checks {
		if strings.HasPrefix(c.Name, prefix) {
			return c.OK
		}
	}
	return false
}

func summary(n int, counted string, failed []string) string {
	s := fmt.Sprintf("%d %s", n, counted)
	if len(failed) > 0 {
		slices.Sort(failed)
		s += ", FAILED in " + strings.Join(failed, ", ")
	}
	return s
}

func okOrNot(c Check) string {
	switch {
	case c.Skipped:
		return "skipped"
	case c.OK:
		return "held"
	}
	return "FAILED"
}
