package verify

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
	"github.com/rpcworkshop/workshop/internal/skeleton"
)

// jumps proves, for every step of a chapter from the second on, that the
// state "workshop jump <chapter> <step>" makes from the skeleton is one a
// student can go on from: the tests of the earlier steps pass, and the
// step's own tests fail with a message that names the step. Each state is
// the chapter as committed with the jump's files laid over it by go test
// -overlay, so nothing is copied and the tree is never touched; the states
// run two at a time. It says how long it took on a line of its own.
func (v *verifier) jumps(ctx context.Context, ch course.Chapter, timeout time.Duration) Check {
	c := Check{Name: "jump states: each step starts where the earlier ones end"}
	start := time.Now()
	problems := make([]string, len(ch.Steps)+1)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for n := 2; n <= len(ch.Steps); n++ {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			problems[n] = v.jumpState(ctx, ch, n, timeout)
		})
	}
	wg.Wait()
	var failed []string
	for _, p := range problems {
		if p != "" {
			failed = append(failed, p)
		}
	}
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	v.progress("%s: %d jump states checked in %v", ch.Dir, max(len(ch.Steps)-1, 0), elapsed)
	c.OK = len(failed) == 0 && ctx.Err() == nil
	c.n = max(len(ch.Steps)-1, 0)
	if c.OK {
		c.Detail = fmt.Sprintf("steps 2 to %d, in %v", len(ch.Steps), elapsed)
	} else {
		c.Detail = strings.Join(failed, "\n")
	}
	return c
}

// jumpState checks the state at the start of step n, and returns what is
// wrong with it, or "".
func (v *verifier) jumpState(ctx context.Context, ch course.Chapter, n int, timeout time.Duration) string {
	where := fmt.Sprintf("jump %s %d", ch.Number(), n)
	sources, err := skeleton.Jump(v.opts.Root, ch, n)
	if err != nil {
		return fmt.Sprintf("%s: %v: add the checkpoint, the file as it is once that step is done", where, err)
	}
	pkgs := "./" + ch.Dir + "/..."
	if onlyGo(sources) {
		overlay, err := writeOverlay(v.opts.Root, ch, sources)
		if err != nil {
			return fmt.Sprintf("%s: %v", where, err)
		}
		defer os.Remove(overlay)
		// The earlier steps and step n run apart: the earlier ones pass,
		// so go test caches them and a second verify does not run them
		// again; step n fails at once.
		done, err := v.runTests(ctx, timeout, "-overlay", overlay, "-run", fmt.Sprintf("^TestStep[1-%d]_", n-1), pkgs)
		if err != nil || done.BuildFailed {
			return judgeJump(ch, n, done, err)
		}
		next, err := v.runTests(ctx, timeout, "-overlay", overlay, "-run", fmt.Sprintf("^TestStep%d_", n), pkgs)
		if err == nil {
			maps.Copy(next.Tests, done.Tests)
			next.TimedOut = next.TimedOut || done.TimedOut
			next.Panicked = next.Panicked || done.Panicked
			next.Output = done.Output + next.Output
		}
		return judgeJump(ch, n, next, err)
	}
	// The tests read a file that is not Go (chapter 03's helloworld.proto),
	// which an overlay does not reach: use a copy of the workshop.
	copied, err := copyWorkshopTo(v.opts.Root, stableDir(v.opts.Root, fmt.Sprintf("jump-%s-%d", ch.Dir, n)))
	if err != nil {
		return fmt.Sprintf("%s: copying the workshop: %v", where, err)
	}
	defer os.RemoveAll(copied)
	for rel, src := range sources {
		if err := copyFile(filepath.Join(v.opts.Root, filepath.FromSlash(src)), filepath.Join(copied, ch.Dir, filepath.FromSlash(rel))); err != nil {
			return fmt.Sprintf("%s: %v", where, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout+2*time.Minute)
	defer cancel()
	res, err := gotest.Run(ctx, copied, "-timeout", timeout.String(), "-run", fmt.Sprintf("^TestStep[1-%d]_", n), pkgs)
	return judgeJump(ch, n, res, err)
}

// onlyGo reports whether every file of a jump is Go source, which go test
// -overlay can lay over the chapter.
func onlyGo(sources map[string]string) bool {
	for rel := range sources {
		if !strings.HasSuffix(rel, ".go") {
			return false
		}
	}
	return true
}

// stableDir is a temporary folder whose path is the same from one verify
// to the next, for a copy of the workshop: go caches builds by the path of
// their sources too, so a second verify compiles nothing again.
func stableDir(root, name string) string {
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(os.TempDir(), fmt.Sprintf("workshop-%x-%s", sum[:4], name))
}

// copyWorkshopTo copies the workshop's files (not .git, not .workshop: no
// hidden folder) to dst, emptied first, and returns dst.
func copyWorkshopTo(root, dst string) (string, error) {
	if err := os.RemoveAll(dst); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return "", err
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
	if err != nil {
		os.RemoveAll(dst)
		return "", err
	}
	return dst, nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// writeOverlay writes the go build -overlay file that lays sources over the
// chapter, and returns its path.
func writeOverlay(root string, ch course.Chapter, sources map[string]string) (string, error) {
	replace := map[string]string{}
	for rel, src := range sources {
		replace[filepath.Join(root, ch.Dir, filepath.FromSlash(rel))] = filepath.Join(root, filepath.FromSlash(src))
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "jump-overlay-*.json")
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

// judgeJump reads the tests of steps 1 to n in the state at the start of
// step n: the earlier steps must pass, step n must fail in its own words,
// not with "builds on step 3" or "finish step 1 first", which would send
// the student back.
func judgeJump(ch course.Chapter, n int, res *gotest.Result, err error) string {
	where := fmt.Sprintf("jump %s %d", ch.Number(), n)
	switch {
	case err != nil:
		return fmt.Sprintf("%s: the tests could not run: %v", where, err)
	case res.BuildFailed:
		return fmt.Sprintf("%s: the chapter does not compile with the solution's files for the steps before %d:\n%s", where, n, indent(firstLines(res.BuildOutput, 8), "  "))
	case res.TimedOut || res.Panicked:
		return fmt.Sprintf("%s: a test hung or panicked:\n%s", where, indent(firstLines(res.Output, 8), "  "))
	}
	var problems []string
	for _, s := range ch.Steps[:n-1] {
		for _, name := range s.Tests {
			t, ok := res.Tests[name]
			if !ok || t.Failed() {
				msg := "did not run"
				if ok {
					msg = firstLines(gotest.FirstLines(t.Output, 3), 3)
				}
				problems = append(problems, fmt.Sprintf("%s fails, but step %d is done in this state: %s", name, s.N, msg))
			}
		}
	}
	failing := 0
	var wrong []string
	for _, name := range ch.Steps[n-1].Tests {
		t, ok := res.Tests[name]
		if !ok || !t.Failed() {
			continue
		}
		failing++
		msg := gotest.FirstLines(t.Output, 3)
		if k := earlierStep(msg, n); k > 0 {
			wrong = append(wrong, fmt.Sprintf("%s speaks of step %d: %s", name, k, firstLines(msg, 3)))
		}
	}
	switch {
	case failing == 0:
		problems = append(problems, fmt.Sprintf("no test of step %d fails: the solution's files for the earlier steps already do step %d (a file that spans steps needs its checkpoint)", n, n))
	case len(wrong) > 0:
		problems = append(problems, fmt.Sprintf("step %d fails, but with a message about an earlier step, which is done here:\n%s", n, indent(strings.Join(wrong, "\n"), "  ")))
	}
	if len(problems) == 0 {
		return ""
	}
	return where + ":\n" + indent(strings.Join(problems, "\n"), "  ")
}

// earlierStep returns the earlier step (before n) that msg sends the
// student back to, or 0: a message that begins with an earlier step
// ("step 2: Greet is not implemented yet" in step 3), or that says
// "builds on step k" or "finish step k". A message of step n may name an
// earlier step after its own ("step 5: serve needs newServer (step 4)").
func earlierStep(msg string, n int) int {
	msg = strings.ToLower(msg)
	first := stepMention.FindStringSubmatch(msg)
	for k := 1; k < n; k++ {
		ks := strconv.Itoa(k)
		if (first != nil && first[1] == ks) ||
			strings.Contains(msg, "builds on step "+ks) || strings.Contains(msg, "finish step "+ks) {
			return k
		}
	}
	return 0
}

// stepMention finds "step 3" or "step3".
var stepMention = regexp.MustCompile(`step ?(\d+)`)
