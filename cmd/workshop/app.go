package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/markdown"
)

// app is what every subcommand works with: where the workshop is, where
// the student stands in it, its course and how to print.
type app struct {
	root   string // the workshop's root: the folder with go.mod and course.json
	cwd    string // where the student ran the command
	course *course.Course
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	color  bool   // colour the output
	tty    bool   // stdout is a terminal: watch may clear the screen
	lang   string // the student's language, from LC_ALL, LC_MESSAGES or LANG ("zh_CN.UTF-8")
	now    func() time.Time

	pollEvery time.Duration // how often watch looks for changes
}

// newApp finds the workshop around cwd and reads its course.
func newApp(cwd string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) (*app, error) {
	root, err := course.FindRoot(cwd)
	if err != nil {
		return nil, err
	}
	c, err := course.Load(root)
	if err != nil {
		return nil, err
	}
	return &app{
		root:      root,
		cwd:       cwd,
		course:    c,
		stdin:     stdin,
		stdout:    stdout,
		stderr:    stderr,
		color:     useColor(stdout, getenv),
		tty:       isTerminal(stdout) && getenv("TERM") != "dumb",
		lang:      cmp.Or(getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG")),
		now:       time.Now,
		pollEvery: 500 * time.Millisecond,
	}, nil
}

// errUsage marks an error that is the user's to fix (exit code 2).
var errUsage = errors.New("usage")

type usageError struct{ msg string }

func (e usageError) Error() string        { return e.msg }
func (e usageError) Is(target error) bool { return target == errUsage }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// fail prints err and returns the exit code that goes with it.
func (a *app) fail(err error) int {
	fmt.Fprintln(a.stderr, "workshop:", err)
	if errors.Is(err, errUsage) {
		return exitUsage
	}
	return exitNotDone
}

// chapter finds a chapter by folder or number; with present set, it must
// have steps.
func (a *app) chapter(name string, present bool) (course.Chapter, error) {
	name = strings.TrimSuffix(filepath.ToSlash(name), "/")
	name = strings.TrimPrefix(name, "solutions/")
	ch, ok := a.course.Chapter(name)
	if !ok {
		return ch, usagef("unknown chapter %q; the chapters are: %s", name, a.chapterList(false))
	}
	if present && !ch.Present() {
		return ch, usagef("chapter %s is planned but not written yet; the chapters you can work on are: %s", ch.Dir, a.chapterList(true))
	}
	return ch, nil
}

// chapterList names the chapters (only those with steps, if present is set).
func (a *app) chapterList(present bool) string {
	var names []string
	for _, ch := range a.course.Chapters {
		if present && !ch.Present() {
			continue
		}
		names = append(names, ch.Dir)
	}
	if len(names) == 0 {
		return "none yet"
	}
	return strings.Join(names, ", ")
}

// step finds a step of ch by its number.
func step(ch course.Chapter, arg string) (course.Step, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(arg), "step"))
	if err != nil || n < 1 || n > len(ch.Steps) {
		return course.Step{}, usagef("chapter %s has no step %q; its steps are 1 to %d:\n%s", ch.Dir, arg, len(ch.Steps), stepList(ch))
	}
	return ch.Steps[n-1], nil
}

func stepList(ch course.Chapter) string {
	var b strings.Builder
	for _, s := range ch.Steps {
		fmt.Fprintf(&b, "  %d  %s\n", s.N, s.Title)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// currentChapter is the chapter the student is in, if any.
func (a *app) currentChapter() (course.Chapter, bool) {
	rel, err := filepath.Rel(a.root, a.cwd)
	if err != nil {
		return course.Chapter{}, false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if parts[0] == "solutions" && len(parts) > 1 {
		parts = parts[1:]
	}
	for _, ch := range a.course.Chapters {
		if ch.Dir == parts[0] && ch.Present() {
			return ch, true
		}
	}
	return course.Chapter{}, false
}

// dir returns a path under the root, for reading and writing.
func (a *app) dir(rel string) string { return filepath.Join(a.root, rel) }

// rel returns how to write a path under the root from where the student is.
func (a *app) rel(path string) string {
	if !filepath.IsAbs(path) {
		path = a.dir(path)
	}
	r, err := filepath.Rel(a.cwd, path)
	if err != nil {
		return path
	}
	return r
}

// self is how the student runs this command from where they are.
func (a *app) self() string {
	r := a.rel("cmd/workshop")
	if !strings.HasPrefix(r, ".") {
		r = "." + string(filepath.Separator) + r
	}
	return "go run " + r
}

// readStep says where a step is explained: README.zh-CN.md, section
// "第 N 步", for a student whose language is Chinese, when the chapter has
// one; README.md, section "Step N", otherwise.
func (a *app) readStep(ch course.Chapter, n int) string {
	if strings.HasPrefix(a.lang, "zh") {
		zh := markdown.Twin(ch.Dir + "/README.md")
		if _, err := os.Stat(a.dir(zh)); err == nil {
			return fmt.Sprintf("%s, section \"第 %d 步\"", a.rel(zh), n)
		}
	}
	return fmt.Sprintf("%s, section \"Step %d\"", a.rel(ch.Dir+"/README.md"), n)
}

// testCommand is the command that runs one step's tests, from where the
// student is. Outside the chapter's folder it is go -C, which runs the same
// in cmd.exe, PowerShell 5.1 and a POSIX shell (none of cd, && or ;).
func (a *app) testCommand(ch course.Chapter, s course.Step) string {
	if r := a.rel(ch.Dir); r != "." {
		return fmt.Sprintf("go -C %s test -run Step%d", r, s.N)
	}
	return fmt.Sprintf("go test -run Step%d", s.N)
}
