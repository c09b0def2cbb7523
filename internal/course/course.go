// Package course is the workshop's table of contents: the chapters, their
// steps, the tests that prove each step and the role of every file. It is
// read from course.json at the workshop's root, the one place that declares
// them; verify, the workshop command and the docs all take them from here.
package course

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// File is where the course lives, relative to the workshop's root.
const File = "course.json"

// Course lists the chapters in order.
type Course struct {
	Chapters []Chapter `json:"chapters"`
}

// Chapter is one numbered chapter of the workshop.
type Chapter struct {
	Dir     string  `json:"dir"`              // the student's folder, e.g. "01-rpc-basics"
	Title   string  `json:"title"`            // a short title
	Goal    string  `json:"goal"`             // one sentence: what the student builds
	Solves  []int   `json:"solves"`           // which of the five problems it solves by hand
	Timeout string  `json:"timeout"`          // how long its tests may run, e.g. "60s"
	Budget  string  `json:"budget,omitempty"` // how long one test may run under plain go test; DefaultBudget if empty
	Steps   []Step  `json:"steps"`            // empty while the chapter is only planned
	Files   []Entry `json:"files"`            // every file of the chapter but its guides, with its role
}

// A Role says who owns a file of a chapter and how it relates to the
// solution's copy.
type Role string

const (
	// Student files are the student's work: the skeleton ships one version,
	// the solution another. Steps lists the steps the file takes part in. A
	// student file may be missing from the skeleton when the student creates
	// it (chapter 03's generated helloworld_grpc.pb.go).
	Student Role = "student"
	// Given files are part of the exercise but not to be edited: identical
	// in the chapter and its solution.
	Given Role = "given"
	// Test files (*_test.go) are identical in the chapter and its solution.
	Test Role = "test"
	// Testdata is read by the tests and identical in both. A path that ends
	// in "/" names a whole folder.
	Testdata Role = "testdata"
	// Shared files live only in the chapter; the solution imports them from
	// there (chapter 02's generated employeepb package).
	Shared Role = "shared"
)

// Entry is one file (or, for testdata, a folder ending in "/") of a
// chapter, relative to the chapter's folder, slash-separated.
type Entry struct {
	Path  string `json:"path"`
	Role  Role   `json:"role"`
	Steps []int  `json:"steps,omitempty"` // student files only
}

// Dir reports whether f names a folder rather than one file.
func (f Entry) Dir() bool { return strings.HasSuffix(f.Path, "/") }

// Matches reports whether the slash-separated path rel, relative to the
// chapter's folder, is f or lies inside the folder f names.
func (f Entry) Matches(rel string) bool {
	if f.Dir() {
		return strings.HasPrefix(rel, f.Path)
	}
	return rel == f.Path
}

// FirstStep is the earliest step a student file takes part in, 0 for the
// other roles.
func (f Entry) FirstStep() int {
	if len(f.Steps) == 0 {
		return 0
	}
	return slices.Min(f.Steps)
}

// LastStep is the last step a student file takes part in: once it is
// done, the file is complete. 0 for the other roles.
func (f Entry) LastStep() int {
	if len(f.Steps) == 0 {
		return 0
	}
	return slices.Max(f.Steps)
}

// FilesWith returns the chapter's files of the given roles, in the order
// course.json lists them.
func (c Chapter) FilesWith(roles ...Role) []Entry {
	var out []Entry
	for _, f := range c.Files {
		if slices.Contains(roles, f.Role) {
			out = append(out, f)
		}
	}
	return out
}

// FileOf returns the declared file that rel (slash-separated, relative to
// the chapter's folder) is or lies in.
func (c Chapter) FileOf(rel string) (Entry, bool) {
	for _, f := range c.Files {
		if f.Matches(rel) {
			return f, true
		}
	}
	return Entry{}, false
}

// IsGuide reports whether a file at the top of a chapter's folder is one of
// its guides, in any language: README.md, README.zh-CN.md, HINTS.md... They
// are the workshop's prose, not code: course.json does not list them.
func IsGuide(rel string) bool {
	return !strings.Contains(rel, "/") && path.Ext(rel) == ".md" &&
		(strings.HasPrefix(rel, "README") || strings.HasPrefix(rel, "HINTS"))
}

// Step is one numbered step of a chapter.
type Step struct {
	N     int      `json:"n"`
	Title string   `json:"title"`
	Tests []string `json:"tests"` // the tests that prove it, all named TestStepN_...
}

// DefaultBudget is how long one test may run under plain go test before
// the tests' watchdog (internal/testkit) calls it blocked.
const DefaultBudget = 20 * time.Second

// TestTimeout is how long the chapter's tests may run in all (go test
// -timeout): its "timeout", the one place the workshop sets it. It is 0
// only for a planned chapter that declares none.
func (c Chapter) TestTimeout() time.Duration {
	d, _ := time.ParseDuration(c.Timeout)
	return max(d, 0)
}

// TestBudget is how long one of the chapter's tests may run under plain go
// test: its "budget", or DefaultBudget.
func (c Chapter) TestBudget() time.Duration {
	if d, err := time.ParseDuration(c.Budget); err == nil && d > 0 {
		return d
	}
	return DefaultBudget
}

// Present reports whether the chapter has landed: it has steps. A planned
// chapter has only its README.
func (c Chapter) Present() bool { return len(c.Steps) > 0 }

// SolutionDir is where the chapter's solution lives, relative to the root.
func (c Chapter) SolutionDir() string { return filepath.Join("solutions", c.Dir) }

// Number returns the chapter's number, taken from its folder name.
func (c Chapter) Number() string { return c.Dir[:2] }

// RunPattern is the go test -run pattern that selects the step's tests.
func (s Step) RunPattern() string { return fmt.Sprintf("^TestStep%d_", s.N) }

// stepTestRE matches a step test's name and captures the step number.
var stepTestRE = regexp.MustCompile(`^TestStep(\d+)_[A-Za-z0-9_]+$`)

// StepOf returns the step a test name belongs to, or 0 if the name does not
// carry a step.
func StepOf(test string) int {
	m := stepTestRE.FindStringSubmatch(test)
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

// FindRoot returns the workshop's root: dir or the nearest parent of it that
// holds both go.mod and course.json, so commands work from any subfolder.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; {
		_, errMod := os.Stat(filepath.Join(d, "go.mod"))
		_, errCourse := os.Stat(filepath.Join(d, File))
		if errMod == nil && errCourse == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("%s is not inside the workshop (no go.mod with %s above it); cd into the workshop's folder and try again", dir, File)
		}
		d = parent
	}
}

// Load reads course.json from a workshop rooted at root.
func Load(root string) (*Course, error) {
	data, err := os.ReadFile(filepath.Join(root, File))
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse decodes and checks a course description.
func Parse(data []byte) (*Course, error) {
	var c Course
	// A checkout with CRLF line ends is still valid JSON; strip any BOM an
	// editor may have added.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", File, err)
	}
	return &c, c.validate()
}

// Chapter finds a chapter by folder name or by number ("1", "01").
func (c *Course) Chapter(name string) (Chapter, bool) {
	for _, ch := range c.Chapters {
		if ch.Dir == name || ch.Number() == name || "0"+name == ch.Number() {
			return ch, true
		}
	}
	return Chapter{}, false
}

func (c *Course) validate() error {
	seen := map[string]bool{}
	for _, ch := range c.Chapters {
		if len(ch.Dir) < 3 || seen[ch.Dir] {
			return fmt.Errorf("%s: chapter folder %q is missing, too short or repeated", File, ch.Dir)
		}
		seen[ch.Dir] = true
		for i, s := range ch.Steps {
			if s.N != i+1 {
				return fmt.Errorf("%s: %s: steps must be numbered 1, 2, 3...; found step %d at position %d", File, ch.Dir, s.N, i+1)
			}
			for _, name := range s.Tests {
				if StepOf(name) != s.N {
					return fmt.Errorf("%s: %s step %d lists test %s, whose name does not start with TestStep%d_", File, ch.Dir, s.N, name, s.N)
				}
			}
		}
		if d, err := time.ParseDuration(ch.Timeout); (ch.Present() || ch.Timeout != "") && (err != nil || d <= 0) {
			return fmt.Errorf("%s: %s: timeout %q is not a duration such as \"90s\": say how long the chapter's tests may run", File, ch.Dir, ch.Timeout)
		}
		if d, err := time.ParseDuration(ch.Budget); ch.Budget != "" && (err != nil || d <= 0) {
			return fmt.Errorf("%s: %s: budget %q is not a duration such as \"30s\"", File, ch.Dir, ch.Budget)
		}
		if err := ch.validateFiles(); err != nil {
			return fmt.Errorf("%s: %s: %w", File, ch.Dir, err)
		}
	}
	return nil
}

func (ch Chapter) validateFiles() error {
	seen := map[string]bool{}
	for _, f := range ch.Files {
		if f.Path == "" || seen[f.Path] || path.IsAbs(f.Path) || strings.Contains(f.Path, "\\") ||
			path.Clean(strings.TrimSuffix(f.Path, "/")) != strings.TrimSuffix(f.Path, "/") || strings.HasPrefix(f.Path, "..") {
			return fmt.Errorf("file %q is empty, repeated, or not a clean slash-separated path inside the chapter", f.Path)
		}
		seen[f.Path] = true
		switch f.Role {
		case Student:
			if len(f.Steps) == 0 {
				return fmt.Errorf("student file %s lists no steps: say which steps it completes", f.Path)
			}
			for _, n := range f.Steps {
				if n < 1 || n > len(ch.Steps) {
					return fmt.Errorf("student file %s lists step %d, but the chapter has steps 1 to %d", f.Path, n, len(ch.Steps))
				}
			}
		case Given, Test, Testdata, Shared:
			if len(f.Steps) > 0 {
				return fmt.Errorf("%s file %s lists steps; only student files do", f.Role, f.Path)
			}
		default:
			return fmt.Errorf("file %s has role %q; want student, given, test, testdata or shared", f.Path, f.Role)
		}
		if f.Dir() && f.Role != Testdata {
			return fmt.Errorf("%s names a folder; only testdata may", f.Path)
		}
		if (f.Role == Test) != strings.HasSuffix(f.Path, "_test.go") {
			return fmt.Errorf("%s: files ending in _test.go have role test, and only they", f.Path)
		}
	}
	return nil
}
