// Package course is the workshop's table of contents: the chapters, their
// steps and the tests that prove each step. It is read from course.json,
// the one place that lists them; the verify command and the workshop CLI
// both take the chapter list from here.
package course

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// File is where course.json lives, relative to the workshop's root.
const File = "internal/course/course.json"

//go:embed course.json
var embedded []byte

// Course lists the chapters in order.
type Course struct {
	Chapters []Chapter `json:"chapters"`
}

// Chapter is one numbered chapter of the workshop.
type Chapter struct {
	Dir     string `json:"dir"`     // the student's folder, e.g. "01-rpc-basics"
	Title   string `json:"title"`   // a short title
	Goal    string `json:"goal"`    // one sentence: what the student builds
	Solves  []int  `json:"solves"`  // which of the five problems it solves by hand
	Timeout string `json:"timeout"` // how long its tests may run, e.g. "60s"
	Steps   []Step `json:"steps"`   // empty while the chapter is only planned
}

// Step is one numbered step of a chapter.
type Step struct {
	N     int      `json:"n"`
	Title string   `json:"title"`
	Tests []string `json:"tests"` // the tests that prove it, all named TestStepN_...
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

// Default returns the course compiled into the binary.
func Default() (*Course, error) { return Parse(embedded) }

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
	}
	return nil
}
