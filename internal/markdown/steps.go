package markdown

import (
	"regexp"
	"strconv"
	"strings"
)

// A chapter's guides are cut into steps: its README and HINTS.md have a
// level-2 heading per step, "## Step 2: Frames" ("## 第 2 步：帧" in the
// Chinese edition), and HINTS.md numbers the hints of a step with level-3
// headings, "### Hint 1" ("### 提示 1").
var (
	stepRE = regexp.MustCompile(`^(?:Step\s+(\d+)\b|第\s*(\d+)\s*步)`)
	hintRE = regexp.MustCompile(`^(?:Hint|提示)\s*\d+`)
)

// Step is the section of a guide about one step.
type Step struct {
	N       int
	Heading Heading
	Hints   []string // the Markdown of each "### Hint N" under it, in order
}

// StepNumber returns the step a heading's text names: 2 for "Step 2: Frames"
// or "第 2 步：帧".
func StepNumber(heading string) (int, bool) {
	m := stepRE.FindStringSubmatch(strings.TrimSpace(heading))
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1] + m[2])
	return n, err == nil
}

// Steps returns the page's step sections, in order, each with its hints. A
// step's section ends at the next heading of level 1 or 2; a hint runs from
// its heading to the next heading of level 3 or above.
func (d *Doc) Steps() []Step {
	var steps []Step
	var lines []string // the page's lines, split once when a hint needs them
	inStep := false
	for i, h := range d.Headings {
		if h.Level <= 2 {
			n, ok := StepNumber(h.Text)
			inStep = ok && h.Level == 2
			if inStep {
				steps = append(steps, Step{N: n, Heading: h})
			}
			continue
		}
		if !inStep || h.Level != 3 || !hintRE.MatchString(h.Text) || h.Line == 0 {
			continue
		}
		if lines == nil {
			lines = strings.Split(string(d.Source), "\n")
		}
		end := len(lines) + 1 // the line after the hint's last
		for _, next := range d.Headings[i+1:] {
			if next.Level <= 3 && next.Line > 0 {
				end = next.Line
				break
			}
		}
		body := strings.Join(lines[h.Line:end-1], "\n")
		last := &steps[len(steps)-1]
		last.Hints = append(last.Hints, strings.TrimSpace(underline.ReplaceAllString(body, "")))
	}
	return steps
}

// underline is a setext heading's underline, left after its text line.
var underline = regexp.MustCompile(`\A[=-]+[ \t]*\n?`)
