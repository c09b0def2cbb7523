package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/skeleton"
)

// resetPlan is what resetting one chapter changes.
type resetPlan struct {
	ch       course.Chapter
	pristine skeleton.Files // by path inside the chapter
	changed  []string       // files to restore (edited or deleted by the student)
	extra    []string       // files the student added, to remove
}

func (p resetPlan) empty() bool { return len(p.changed) == 0 && len(p.extra) == 0 }

// runReset restores chapters to their original skeleton, after a
// confirmation, backing up the student's files first. It needs no git: the
// originals come from internal/skeleton.
func runReset(ctx context.Context, a *app, args []string) int {
	all, yes := false, false
	var names []string
	for _, arg := range args {
		switch arg {
		case "--all", "-all":
			all = true
		case "-y", "--yes", "-yes":
			yes = true
		default:
			if strings.HasPrefix(arg, "-") {
				return a.fail(usagef("reset: unknown flag %s; usage: %s reset <chapter>|--all [-y]", arg, a.self()))
			}
			names = append(names, arg)
		}
	}
	if all == (len(names) > 0) || len(names) > 1 {
		return a.fail(usagef("usage: %s reset <chapter>|--all [-y]  (one chapter, or --all)", a.self()))
	}
	var chapters []course.Chapter
	if all {
		for _, ch := range a.course.Chapters {
			if ch.Present() {
				chapters = append(chapters, ch)
			}
		}
	} else {
		ch, err := a.chapter(names[0], true)
		if err != nil {
			return a.fail(err)
		}
		chapters = append(chapters, ch)
	}

	originals, err := skeleton.Load(a.root)
	if err != nil {
		return a.fail(fmt.Errorf("cannot read the original skeletons: %v", err))
	}
	var plans []resetPlan
	for _, ch := range chapters {
		p, err := a.planReset(originals, ch)
		if err != nil {
			return a.fail(err)
		}
		if p.empty() {
			fmt.Fprintf(a.stdout, "%s is already its original skeleton: nothing to reset.\n", ch.Dir)
			continue
		}
		plans = append(plans, p)
	}
	if len(plans) == 0 {
		return exitOK
	}

	backup := a.backupDir()
	for _, p := range plans {
		var what []string
		if len(p.changed) > 0 {
			what = append(what, "restore "+strings.Join(p.changed, ", "))
		}
		if len(p.extra) > 0 {
			what = append(what, "remove the files you added: "+strings.Join(p.extra, ", "))
		}
		fmt.Fprintf(a.stdout, "Reset %s: %s.\n", p.ch.Dir, strings.Join(what, "; "))
	}
	fmt.Fprintf(a.stdout, "Your files are backed up first, to %s\n", a.rel(backup))
	if !yes && !a.confirm("Reset? [y/N] ") {
		fmt.Fprintln(a.stdout, "Nothing changed.")
		return exitNotDone
	}
	for _, p := range plans {
		if err := a.applyReset(p, filepath.Join(backup, p.ch.Dir)); err != nil {
			return a.fail(err)
		}
		fmt.Fprintf(a.stdout, "%s is back to its skeleton; your files are in %s\n", a.paint(green, p.ch.Dir), a.rel(filepath.Join(backup, p.ch.Dir)))
	}
	return exitOK
}

// planReset compares a chapter with its original skeleton.
func (a *app) planReset(originals skeleton.Files, ch course.Chapter) (resetPlan, error) {
	p := resetPlan{ch: ch, pristine: originals.Chapter(ch.Dir)}
	if len(p.pristine) == 0 {
		return p, fmt.Errorf("%s has no original copy of %s; maintainers: run go generate ./internal/skeleton", skeleton.File, ch.Dir)
	}
	current, err := skeleton.Collect(a.root, []string{ch.Dir})
	if err != nil {
		return p, err
	}
	current = current.Chapter(ch.Dir)
	for f, data := range p.pristine {
		if now, ok := current[f]; !ok || !bytes.Equal(now, data) {
			p.changed = append(p.changed, f)
		}
	}
	for f := range current {
		if _, ok := p.pristine[f]; !ok {
			p.extra = append(p.extra, f)
		}
	}
	slices.Sort(p.changed)
	slices.Sort(p.extra)
	return p, nil
}

// confirm asks a yes/no question on stdin; anything but yes is no.
func (a *app) confirm(question string) bool {
	fmt.Fprint(a.stdout, question)
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	if line == "" {
		fmt.Fprintln(a.stdout) // end of input: keep the output tidy
	}
	return answer == "y" || answer == "yes"
}

// backupDir is a new folder for this reset's backups, named by the time.
func (a *app) backupDir() string {
	base := a.dir(filepath.Join(stateDir, "backups", a.now().Format("2006-01-02T15-04-05")))
	dir := base
	for i := 2; ; i++ {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return dir
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// applyReset copies the chapter to backup, then restores its skeleton.
func (a *app) applyReset(p resetPlan, backup string) error {
	if err := a.makeStateDir(); err != nil {
		return err
	}
	current, err := skeleton.Collect(a.root, []string{p.ch.Dir})
	if err != nil {
		return err
	}
	for f, data := range current.Chapter(p.ch.Dir) {
		if err := writeFile(filepath.Join(backup, filepath.FromSlash(f)), data); err != nil {
			return fmt.Errorf("backing up %s: %v (nothing was reset)", f, err)
		}
	}
	dir := a.dir(p.ch.Dir)
	for _, f := range p.changed {
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(f)), p.pristine[f]); err != nil {
			return err
		}
	}
	for _, f := range p.extra {
		path := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.Remove(path); err != nil {
			return err
		}
		// Remove folders the student added, if now empty.
		for d := filepath.Dir(path); d != dir && os.Remove(d) == nil; d = filepath.Dir(d) {
		}
	}
	return a.forgetHints(p.ch)
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
