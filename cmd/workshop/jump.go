package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/skeleton"
)

// runJump puts the solution's files for the steps before a step in place,
// after backing up the student's, so the student goes on from that step.
// course.json says which files complete which step; a file that takes part
// in several steps comes from the solution's checkpoint for the last step
// done (see skeleton.Jump).
func runJump(ctx context.Context, a *app, args []string) int {
	flags := newFlagSet("jump", "<chapter> <step>|end [-y]",
		"Start <step> with the solution's files for the steps before it in place (end: the whole chapter).\nYour files are backed up first.")
	var yes bool
	flags.BoolVar(&yes, "y", false, "jump without asking")
	flags.alias("yes", "y")
	pos, code, ok := a.parseFlags(flags, args)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return a.fail(usagef("usage: %s jump <chapter> <step>|end [-y]  (start <step> with the steps before it done; end: the whole chapter)", a.self()))
	}
	ch, err := a.chapter(pos[0], true)
	if err != nil {
		return a.fail(err)
	}
	var s course.Step
	if pos[1] == "end" {
		s = course.Step{N: len(ch.Steps) + 1} // past the last step: the chapter done
	} else if s, err = step(ch, pos[1]); err != nil {
		return a.fail(err)
	}
	if s.N == 1 {
		return a.fail(usagef("step 1 is where %s starts, with nothing done: to start it afresh, %s reset %s", ch.Dir, a.self(), ch.Number()))
	}
	sources, err := skeleton.Jump(a.root, ch, s.N)
	if err != nil {
		return a.fail(fmt.Errorf("cannot jump to step %d of %s: %v", s.N, ch.Dir, err))
	}
	var change []string
	for rel, src := range sources {
		want, err := os.ReadFile(a.dir(filepath.FromSlash(src)))
		if err != nil {
			return a.fail(err)
		}
		have, err := os.ReadFile(a.dir(filepath.Join(ch.Dir, filepath.FromSlash(rel))))
		if err != nil || !skeleton.Same(have, want) {
			change = append(change, rel)
		}
	}
	slices.Sort(change)
	done := "step 1"
	switch {
	case s.N == 3:
		done = "steps 1 and 2"
	case s.N > 3:
		done = fmt.Sprintf("steps 1 to %d", s.N-1)
	}
	target := fmt.Sprintf("%s step %d", ch.Dir, s.N)
	if s.N > len(ch.Steps) {
		done, target = "every step", "the end of "+ch.Dir
	}
	if len(change) == 0 {
		fmt.Fprintf(a.stdout, "%s already has the solution's files for %s: nothing to change.\n", ch.Dir, done)
		a.printGoOn(ch, s)
		return exitOK
	}
	backup := a.backupDir()
	fmt.Fprintf(a.stdout, "Jump to %s: put the solution's files for %s in place: %s.\n", target, done, strings.Join(change, ", "))
	fmt.Fprintf(a.stdout, "Your files are backed up first, to %s\n", a.rel(backup))
	if !yes && !a.confirm("Jump? [y/N] ") {
		fmt.Fprintln(a.stdout, "Nothing changed.")
		return exitNotDone
	}
	saved := filepath.Join(backup, ch.Dir)
	if err := a.backupChapter(ch, saved); err != nil {
		return a.fail(err)
	}
	for _, rel := range change {
		data, err := os.ReadFile(a.dir(filepath.FromSlash(sources[rel])))
		if err != nil {
			return a.fail(err)
		}
		if err := writeFile(a.dir(filepath.Join(ch.Dir, filepath.FromSlash(rel))), data); err != nil {
			return a.fail(err)
		}
	}
	fmt.Fprintf(a.stdout, "%s now has %s done; your files are in %s\n", a.paint(green, ch.Dir), done, a.rel(saved))
	a.printGoOn(ch, s)
	return exitOK
}

// printGoOn says how to go on from step s.
func (a *app) printGoOn(ch course.Chapter, s course.Step) {
	if s.N > len(ch.Steps) {
		fmt.Fprintf(a.stdout, "%s %s\n", a.paint(bold, "What is next:"), a.self())
		return
	}
	fmt.Fprintf(a.stdout, "%s %s, step %d: %s\n", a.paint(bold, "Next:"), ch.Dir, s.N, s.Title)
	fmt.Fprintf(a.stdout, "  Read:   %s\n", a.readStep(ch, s.N))
	fmt.Fprintf(a.stdout, "  Run:    %s\n", a.paint(cyan, a.testCommand(ch, s)))
}

// runSkip marks a chapter skipped, so that the progress table's "Next:"
// moves on to the next chapter; --undo takes the mark away.
func runSkip(ctx context.Context, a *app, args []string) int {
	flags := newFlagSet("skip", "<chapter> [--undo]", "Leave a chapter for later: the progress table's Next: moves on.")
	var undo bool
	flags.BoolVar(&undo, "undo", false, "take the skip back: the progress table counts the chapter again")
	names, code, ok := a.parseFlags(flags, args)
	if !ok {
		return code
	}
	if len(names) != 1 {
		return a.fail(usagef("usage: %s skip <chapter> [--undo]  (leave a chapter for later; --undo takes it back)", a.self()))
	}
	ch, err := a.chapter(names[0], true)
	if err != nil {
		return a.fail(err)
	}
	skipped := a.loadSkips()
	switch {
	case undo && !skipped[ch.Dir]:
		fmt.Fprintf(a.stdout, "%s is not skipped: nothing to undo.\n", ch.Dir)
		return exitOK
	case !undo && skipped[ch.Dir]:
		fmt.Fprintf(a.stdout, "%s is already skipped. To take it back: %s skip %s --undo\n", ch.Dir, a.self(), ch.Number())
		return exitOK
	}
	if undo {
		delete(skipped, ch.Dir)
	} else {
		skipped[ch.Dir] = true
	}
	if err := a.saveSkips(skipped); err != nil {
		return a.fail(err)
	}
	if undo {
		fmt.Fprintf(a.stdout, "%s is no longer skipped: the progress table counts it again.\n", ch.Dir)
	} else {
		fmt.Fprintf(a.stdout, "%s is skipped: the progress table shows it as skipped and its Next: moves on. Your files in it stay as they are.\n", ch.Dir)
		fmt.Fprintf(a.stdout, "  To take it back: %s skip %s --undo\n", a.self(), ch.Number())
	}
	fmt.Fprintf(a.stdout, "  Where you are: %s\n", a.self())
	return exitOK
}

// skipsFile lists the chapters the student skipped.
func (a *app) skipsFile() string { return a.dir(filepath.Join(stateDir, "skipped.json")) }

func (a *app) loadSkips() map[string]bool {
	var dirs []string
	if data, err := os.ReadFile(a.skipsFile()); err == nil {
		json.Unmarshal(data, &dirs) // a damaged file starts afresh
	}
	skipped := map[string]bool{}
	for _, d := range dirs {
		if _, ok := a.course.Chapter(d); ok {
			skipped[d] = true
		}
	}
	return skipped
}

func (a *app) saveSkips(skipped map[string]bool) error {
	if err := a.makeStateDir(); err != nil {
		return err
	}
	dirs := []string{}
	for d := range skipped {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	data, err := json.MarshalIndent(dirs, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(a.skipsFile(), append(data, '\n'), 0o644)
}

// forgetSkips takes the skip mark off chapters that were reset.
func (a *app) forgetSkips(chapters []course.Chapter) {
	skipped := a.loadSkips()
	changed := false
	for _, ch := range chapters {
		if skipped[ch.Dir] {
			delete(skipped, ch.Dir)
			changed = true
		}
	}
	if changed {
		if err := a.saveSkips(skipped); err != nil {
			fmt.Fprintf(a.stderr, "workshop: cannot update %s: %v\n", a.rel(a.skipsFile()), err)
		}
	}
}
