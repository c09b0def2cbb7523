package skeleton

import (
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// TestArchiveMatchesTheChapters keeps the copy that "workshop reset"
// restores equal to the chapters as committed. The verify command runs it.
func TestArchiveMatchesTheChapters(t *testing.T) {
	root := testkit.Root(t)
	c, err := course.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, ch := range c.Chapters {
		if ch.Present() {
			dirs = append(dirs, ch.Dir)
		}
	}
	stale, err := Stale(root, dirs)
	if err != nil {
		t.Fatalf("cannot compare %s with the chapters: %v", File, err)
	}
	if len(stale) > 0 {
		t.Errorf("%s is stale: reset would not restore these files as committed:\n  %s\n"+
			"Run go generate ./internal/skeleton and commit %s. (A student who edited a chapter sees this too: that is expected.)",
			File, strings.Join(stale, "\n  "), File)
	}
}
