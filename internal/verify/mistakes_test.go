package verify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
)

// A wrong implementation that passes its step's tests is reported with its
// name and why; one that its step's tests reject is counted as caught.
func TestMistakesReportsOneThatPasses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on a fixture workshop; skipped with -short")
	}
	t.Parallel()
	root := copyFixture(t)
	write(t, root, "solutions/01-sample/mistakes.json", `{"mistakes": [
  {"name": "greet-without-comma", "step": 1, "file": "greet.go", "why": "The comma is left out.", "old": "\"Hello, %s!\"", "new": "\"Hello %s!\""},
  {"name": "greet-ignores-the-name", "step": 1, "file": "greet.go", "why": "Greet always greets you, whoever asks.", "old": "fmt.Sprintf(\"Hello, %s!\", name)", "new": "fmt.Sprint(\"Hello, you!\")"},
  {"name": "shout-caught-in-step-1", "step": 1, "file": "greet.go", "why": "Shout forgets the capitals; step 1's tests do not look at Shout.", "old": "strings.ToUpper(greeting)", "new": "strings.TrimSpace(greeting)"}
]}`)
	c, err := course.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := c.Chapter("01")
	list, err := LoadMistakes(root, ch)
	if err != nil {
		t.Fatal(err)
	}
	check := mistakesCheck(Check{}, list, runMistakes(context.Background(), root, ch, list, time.Minute))
	if check.OK {
		t.Fatalf("two wrong implementations pass their step's tests, yet the check passed: %s", check.Detail)
	}
	for _, want := range []string{
		"1 of 3 wrong implementations caught",
		"greet-ignores-the-name (step 1, greet.go: Greet always greets you, whoever asks.): it passes every step 1 test",
		"shout-caught-in-step-1 (step 1",
	} {
		if !strings.Contains(check.Detail, want) {
			t.Errorf("the report lacks %q; it says:\n%s", want, check.Detail)
		}
	}
	if strings.Contains(check.Detail, "greet-without-comma (") {
		t.Errorf("a caught wrong implementation is listed as missed:\n%s", check.Detail)
	}
}

func TestLoadMistakesExplainsBadEntries(t *testing.T) {
	t.Parallel()
	root := copyFixture(t)
	c, err := course.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := c.Chapter("01")
	for _, tt := range []struct{ json, want string }{
		{`{"mistakes": [{"name": "Bad Name", "step": 1, "file": "greet.go", "why": "x", "old": "a", "new": "b"}]}`, "kebab-case"},
		{`{"mistakes": [{"name": "no-such-file", "step": 1, "file": "nope.go", "why": "x", "old": "a", "new": "b"}]}`, `file "nope.go" is not a student file`},
		{`{"mistakes": [{"name": "wrong-step", "step": 3, "file": "greet.go", "why": "x", "old": "a", "new": "b"}]}`, "step 3 is not a step of 01-sample"},
		{`{"mistakes": [{"name": "typo", "step": 1, "file": "greet.go", "why": "x", "old": "a", "neww": "b"}]}`, `unknown field "neww"`},
	} {
		write(t, root, "solutions/01-sample/mistakes.json", tt.json)
		if _, err := LoadMistakes(root, ch); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadMistakes(%s) = %v; want an error saying %q", tt.json, err, tt.want)
		}
	}
}
