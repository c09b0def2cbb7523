package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/course"
)

func TestJumpPutsTheEarlierStepsInPlace(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	chapter := filepath.Join(root, "01-sample")
	mine := read(t, filepath.Join(chapter, "greet.go")) + "\n// my notes\n"
	if err := os.WriteFile(filepath.Join(chapter, "greet.go"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}

	workshop(t, root, "n\n", "jump", "01", "2").expect(t, exitNotDone,
		"Jump to 01-sample step 2: put the solution's files for step 1 in place: greet.go.",
		"Your files are backed up first, to .workshop/backups/", "Jump? [y/N] ", "Nothing changed.")
	if read(t, filepath.Join(chapter, "greet.go")) != mine {
		t.Fatal("a declined jump changed greet.go")
	}

	// greet.go takes part in steps 1 and 2: it comes from the checkpoint
	// after step 1, not from the finished solution.
	r := workshop(t, root, "", "jump", "01", "2", "-y")
	r.expect(t, exitOK, "01-sample now has step 1 done; your files are in .workshop/backups/",
		"Next: 01-sample, step 2: Count words", "Run:    go -C 01-sample test -run Step2")
	want := read(t, filepath.Join(root, "solutions/01-sample/_checkpoints/step1/greet.go"))
	if got := read(t, filepath.Join(chapter, "greet.go")); got != want {
		t.Errorf("after jump 01 2, greet.go is:\n%s\nwant the checkpoint after step 1:\n%s", got, want)
	}
	backups, _ := filepath.Glob(filepath.Join(root, ".workshop", "backups", "*", "01-sample", "greet.go"))
	if len(backups) != 1 || read(t, backups[0]) != mine {
		t.Errorf("jump did not back up the student's greet.go (found %v)", backups)
	}
	workshop(t, root, "", "check", "01").expect(t, exitNotDone, "done     step 1", "not yet  step 2  Count words   <- next", "step 2: WordCount is not implemented yet")
	workshop(t, root, "", "jump", "01", "2").expect(t, exitOK, "01-sample already has the solution's files for step 1: nothing to change.")

	workshop(t, root, "", "jump", "01", "end", "-y").expect(t, exitOK,
		"Jump to the end of 01-sample: put the solution's files for every step in place: greet.go.", "01-sample now has every step done")
	workshop(t, root, "", "check", "01").expect(t, exitOK, "Every step of 01-sample passes")
}

func TestSkipMovesNextOn(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	workshop(t, root, "", "skip", "01").expect(t, exitOK, "01-sample is skipped", "skip 01 --undo")
	r := workshop(t, root, "")
	r.expect(t, exitOK, "01-sample", "-/2", "skipped", "Every chapter that is written is done or skipped.",
		"Skipped: 01. To take one back: go run ./cmd/workshop skip <chapter> --undo")
	r.refuse(t, "Next: 01-sample")
	if got := read(t, filepath.Join(root, ".workshop", "skipped.json")); !strings.Contains(got, `"01-sample"`) {
		t.Errorf(".workshop/skipped.json = %q, want it to list 01-sample", got)
	}
	workshop(t, root, "", "skip", "01").expect(t, exitOK, "01-sample is already skipped")
	workshop(t, root, "", "skip", "01", "--undo").expect(t, exitOK, "01-sample is no longer skipped")
	workshop(t, root, "").expect(t, exitOK, "0/2", "Next: 01-sample, step 1")
	workshop(t, root, "", "skip", "01", "--undo").expect(t, exitOK, "01-sample is not skipped: nothing to undo.")

	// A reset takes the mark away: the chapter starts again.
	workshop(t, root, "", "skip", "01")
	workshop(t, root, "", "reset", "--all", "-y")
	workshop(t, root, "").expect(t, exitOK, "Next: 01-sample, step 1")
}

func TestResetRestoresTestsFromTheSolution(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	test := filepath.Join(root, "01-sample", "greet_test.go")
	original := read(t, test)
	if err := os.WriteFile(test, []byte("package sample\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	workshop(t, root, "", "reset", "01", "-y").expect(t, exitOK, "Reset 01-sample: restore greet_test.go.", "back to its skeleton")
	if read(t, test) != original {
		t.Errorf("reset did not restore greet_test.go from the solution")
	}
}

func TestResetAllCanRemoveTheBackups(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	solveStep1(t, root)
	workshop(t, root, "", "reset", "01", "-y").expect(t, exitOK, "your files are in .workshop/backups/")
	solveAll(t, root)
	workshop(t, root, "", "reset", "--all", "-y").expect(t, exitOK, "back to its skeleton",
		"Still in .workshop/backups: 2 backups (4 files, ", "). To delete every backup: go run ./cmd/workshop reset --all --remove-backups")

	solveAll(t, root)
	r := workshop(t, root, "n\n", "reset", "--all", "--remove-backups")
	r.expect(t, exitNotDone, "Remove every backup in .workshop/backups: 2 backups (4 files, ", "Your files are not backed up.", "Nothing changed.")
	r = workshop(t, root, "y\n", "reset", "--all", "--remove-backups")
	r.expect(t, exitOK, "01-sample is back to its skeleton.\n", "Removed .workshop/backups: 2 backups (4 files, ")
	if _, err := os.Stat(filepath.Join(root, ".workshop", "backups")); err == nil {
		t.Errorf("reset --all --remove-backups left .workshop/backups")
	}
	// Nothing to reset, but backups to remove: they go too.
	workshop(t, root, "", "reset", "--all", "--remove-backups", "-y").expect(t, exitOK, "01-sample is already its original skeleton")

	// Without the flag or -y, reset --all asks about the backups too.
	solveStep1(t, root)
	r = workshop(t, root, "y\nn\n", "reset", "--all")
	r.expect(t, exitOK, "Reset? [y/N] ", "01-sample is back to its skeleton; your files are in .workshop/backups/",
		"Also delete every backup in .workshop/backups: 1 backup (2 files, ", "? [y/N] ", "The backups stay. To delete them later: go run ./cmd/workshop reset --all --remove-backups")
	solveStep1(t, root)
	r = workshop(t, root, "y\ny\n", "reset", "--all")
	r.expect(t, exitOK, "Also delete every backup in .workshop/backups: 2 backups (4 files, ", "Removed .workshop/backups: 2 backups (4 files, ")
	if _, err := os.Stat(filepath.Join(root, ".workshop", "backups")); err == nil {
		t.Errorf("reset --all, answered yes twice, left .workshop/backups")
	}
}

// Every chapter that does not compile says how to see why, not only the
// first one not done.
func TestProgressSaysSeeWhyForEveryBrokenChapter(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	a, err := newApp(root, strings.NewReader(""), nil, nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	a.stdout = &out
	ch := a.course.Chapters[0]
	first, second := ch, ch
	second.Dir, second.Title = "03-another", "Another chapter"
	a.course.Chapters = append(a.course.Chapters, second)
	broken := func(ch course.Chapter) chapterState {
		cs := notStarted(ch)
		cs.result.BuildFailed = true
		return cs
	}
	a.printTable(map[string]chapterState{first.Dir: broken(first), second.Dir: broken(second)})
	for _, want := range []string{
		"Next: 01-sample does not compile.\n  See why: go run ./cmd/workshop check 01",
		"03-another does not compile. See why: go run ./cmd/workshop check 03",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the progress table lacks %q; it printed:\n%s", want, out.String())
		}
	}
}
