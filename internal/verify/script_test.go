package verify

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

func TestScriptBlocks(t *testing.T) {
	t.Parallel()
	guide := "# Guide\n\n## Chapter 01: One\n\n### Live-coding script\n\n**Step 1, problem 3.** Type:\n\n" +
		"```go\nfunc A() {}\n```\n\nRun:\n\n```sh\ngo -C 01-one test -run Step1\n```\n\n**Step 2.** Then:\n\n```sh\ngo run ./cmd/workshop jump 01 3 -y\ngo -C 01-one test\n```\n\n" +
		"### Mistakes\n\n```sh\ngo vet\n```\n\n## Chapter 02: Two\n\n```go\nfunc B() {}\n```\n"
	got := scriptBlocks(guide)
	if len(got) != 1 || len(got["01"]) != 3 {
		t.Fatalf("scriptBlocks found %v; want chapter 01's three blocks and nothing outside its live-coding script", got)
	}
	if ev := got["01"][0]; ev.step != 1 || ev.code != "func A() {}\n" {
		t.Errorf("first event = %+v; want step 1 typing func A", ev)
	}
	if ev := got["01"][2]; ev.step != 2 || strings.Join(ev.commands, "|") != "go run ./cmd/workshop jump 01 3 -y|go -C 01-one test" {
		t.Errorf("third event = %+v; want step 2's two commands", ev)
	}
}

// TestInstructorScript plays the instructor's live-coding script of every
// chapter (SCRIPT=1), or of the chapters SCRIPT names (SCRIPT=04,05). It
// takes a few minutes; verify plays it too.
func TestInstructorScript(t *testing.T) {
	which := os.Getenv("SCRIPT")
	if which == "" {
		t.Skip("set SCRIPT=1 (or SCRIPT=04,05) to play the instructor's live-coding script")
	}
	root := testkit.Root(t)
	c, err := course.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if which != "1" {
		var keep []course.Chapter
		for _, ch := range c.Chapters {
			if strings.Contains(which, ch.Number()) {
				keep = append(keep, ch)
			}
		}
		c.Chapters = keep
	}
	v := &verifier{opts: Options{Root: root}}
	if check := v.script(context.Background(), c); !check.OK {
		t.Errorf("%s", check.Detail)
	} else {
		t.Log(check.Detail)
	}
}
