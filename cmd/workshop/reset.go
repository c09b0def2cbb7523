package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	pristine map[string][]byte // every file of the original chapter, by path inside it
	changed  []string          // files to restore (edited or deleted by the student)
	extra    []string          // files the student added, to remove
}

func (p resetPlan) empty() bool { return len(p.changed) == 0 && len(p.extra) == 0 }

const resetUsage = "reset <chapter>|--all [-y] [--remove-backups]"

// runReset restores chapters to their original skeleton, after a
// confirmation, backing up the student's files first. It needs no git: the
// student files come from internal/skeleton, the tests, test data and
// given files from the chapter's solution. With --all --remove-backups it
// also deletes every earlier backup and keeps none: a clean machine for the
// next group.
func runReset(ctx context.Context, a *app, args []string) int {
	flags := newFlagSet("reset", strings.TrimPrefix(resetUsage, "reset "),
		"Restore a chapter's original skeleton, after backing up your files.")
	var all, yes, removeBackups bool
	flags.BoolVar(&all, "all", false, "reset every chapter")
	flags.BoolVar(&yes, "y", false, "reset without asking")
	flags.alias("yes", "y")
	flags.BoolVar(&removeBackups, "remove-backups", false, "with --all: also delete every backup, keep none")
	names, code, ok := a.parseFlags(flags, args)
	if !ok {
		return code
	}
	if all == (len(names) > 0) || len(names) > 1 {
		return a.fail(usagef("usage: %s %s  (one chapter, or --all)", a.self(), resetUsage))
	}
	if removeBackups && !all {
		return a.fail(usagef("reset: --remove-backups goes with --all (it deletes every chapter's backups): %s reset --all --remove-backups", a.self()))
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
	old := a.backups()
	if len(plans) == 0 && (!removeBackups || old.count == 0) {
		a.forgetSkips(chapters)
		if all {
			return a.keptBackups(!yes)
		}
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
	switch {
	case removeBackups && old.count > 0:
		fmt.Fprintf(a.stdout, "Remove every backup in %s: %s. Your files are not backed up.\n", a.rel(a.dir(backupsDir)), old)
	case removeBackups:
		fmt.Fprintf(a.stdout, "There are no earlier backups to remove. Your files are not backed up.\n")
	default:
		fmt.Fprintf(a.stdout, "Your files are backed up first, to %s\n", a.rel(backup))
	}
	if !yes && !a.confirm("Reset? [y/N] ") {
		fmt.Fprintln(a.stdout, "Nothing changed.")
		return exitNotDone
	}
	for _, p := range plans {
		saved := ""
		if !removeBackups {
			saved = filepath.Join(backup, p.ch.Dir)
		}
		if err := a.applyReset(p, saved); err != nil {
			return a.fail(err)
		}
		if saved == "" {
			fmt.Fprintf(a.stdout, "%s is back to its skeleton.\n", a.paint(green, p.ch.Dir))
		} else {
			fmt.Fprintf(a.stdout, "%s is back to its skeleton; your files are in %s\n", a.paint(green, p.ch.Dir), a.rel(saved))
		}
	}
	a.forgetSkips(chapters)
	if removeBackups {
		if old.count > 0 {
			if err := os.RemoveAll(a.dir(backupsDir)); err != nil {
				return a.fail(fmt.Errorf("removing the backups: %v", err))
			}
			fmt.Fprintf(a.stdout, "Removed %s: %s.\n", a.rel(a.dir(backupsDir)), old)
		}
		return exitOK
	}
	if all {
		return a.keptBackups(!yes)
	}
	return exitOK
}

// pristine returns every file of a chapter as shipped, by its path inside
// the chapter: the student and shared files from the snapshot, the tests,
// test data and given files from the solution.
func (a *app) pristine(originals skeleton.Files, ch course.Chapter) (map[string][]byte, error) {
	out := map[string][]byte{}
	for rel, data := range originals.Chapter(ch.Dir) {
		out[rel] = data
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no original copy of %s; maintainers: run go generate ./internal/skeleton", skeleton.File, ch.Dir)
	}
	for _, f := range ch.FilesWith(course.Given, course.Test, course.Testdata) {
		if !f.Dir() {
			data, err := os.ReadFile(a.dir(filepath.Join(ch.SolutionDir(), filepath.FromSlash(f.Path))))
			if err != nil {
				return nil, fmt.Errorf("cannot restore %s/%s from the solution: %v", ch.Dir, f.Path, err)
			}
			out[f.Path] = data
			continue
		}
		sol := a.dir(ch.SolutionDir())
		files, err := chapterFiles(filepath.Join(sol, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, err
		}
		for _, rel := range files {
			p := f.Path + rel
			data, err := os.ReadFile(filepath.Join(sol, filepath.FromSlash(p)))
			if err != nil {
				return nil, err
			}
			out[p] = data
		}
	}
	return out, nil
}

// readChapter reads every file of a chapter folder but its guides and
// hidden files, by path inside it.
func (a *app) readChapter(ch course.Chapter) (map[string][]byte, error) {
	dir := a.dir(ch.Dir)
	files, err := chapterFiles(dir)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		out[rel] = data
	}
	return out, nil
}

// planReset compares a chapter with its original skeleton.
func (a *app) planReset(originals skeleton.Files, ch course.Chapter) (resetPlan, error) {
	p := resetPlan{ch: ch}
	var err error
	if p.pristine, err = a.pristine(originals, ch); err != nil {
		return p, err
	}
	current, err := a.readChapter(ch)
	if err != nil {
		return p, err
	}
	for f, data := range p.pristine {
		if now, ok := current[f]; !ok || !skeleton.Same(now, data) {
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

// confirm asks a yes/no question on stdin; anything but yes is no. It
// reads one line and no more, so that a second question gets its own.
func (a *app) confirm(question string) bool {
	fmt.Fprint(a.stdout, question)
	line := readLine(a.stdin)
	answer := strings.ToLower(strings.TrimSpace(line))
	if line == "" {
		fmt.Fprintln(a.stdout) // end of input: keep the output tidy
	}
	return answer == "y" || answer == "yes"
}

// readLine reads up to and including the next newline, a byte at a time.
func readLine(r io.Reader) string {
	var b strings.Builder
	var c [1]byte
	for {
		n, err := r.Read(c[:])
		if n == 1 {
			b.WriteByte(c[0])
			if c[0] == '\n' {
				break
			}
		}
		if err != nil {
			break
		}
	}
	return b.String()
}

// backupsDir holds one folder per reset or jump, named by the time.
var backupsDir = filepath.Join(stateDir, "backups")

// backupDir is a new folder for this reset's backups, named by the time.
func (a *app) backupDir() string {
	base := a.dir(filepath.Join(backupsDir, a.now().Format("2006-01-02T15-04-05")))
	dir := base
	for i := 2; ; i++ {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return dir
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// backupSize is what .workshop/backups holds.
type backupSize struct{ count, files, bytes int }

func (b backupSize) String() string {
	return fmt.Sprintf("%s (%s, %s)", plural(b.count, "backup"), plural(b.files, "file"), kilobytes(b.bytes))
}

// backups measures the earlier backups.
func (a *app) backups() backupSize {
	var b backupSize
	entries, _ := os.ReadDir(a.dir(backupsDir))
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		b.count++
		filepath.WalkDir(filepath.Join(a.dir(backupsDir), e.Name()), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					b.files++
					b.bytes += int(info.Size())
				}
			}
			return nil
		})
	}
	return b
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func kilobytes(n int) string {
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}

// keptBackups ends a reset --all: it says what backups are left (on a
// shared machine they hold the last group's work) and, when it may ask,
// offers to delete them.
func (a *app) keptBackups(ask bool) int {
	b := a.backups()
	where := a.rel(a.dir(backupsDir))
	switch {
	case b.count == 0:
		return exitOK
	case !ask:
		fmt.Fprintf(a.stdout, "Still in %s: %s. To delete every backup: %s reset --all --remove-backups\n", where, b, a.self())
		return exitOK
	case !a.confirm(fmt.Sprintf("Also delete every backup in %s: %s? [y/N] ", where, b)):
		fmt.Fprintf(a.stdout, "The backups stay. To delete them later: %s reset --all --remove-backups\n", a.self())
		return exitOK
	}
	if err := os.RemoveAll(a.dir(backupsDir)); err != nil {
		return a.fail(fmt.Errorf("removing the backups: %v", err))
	}
	fmt.Fprintf(a.stdout, "Removed %s: %s.\n", where, b)
	return exitOK
}

// backupChapter copies the chapter's files, as they are, to backup.
func (a *app) backupChapter(ch course.Chapter, backup string) error {
	if err := a.makeStateDir(); err != nil {
		return err
	}
	current, err := a.readChapter(ch)
	if err != nil {
		return err
	}
	for f, data := range current {
		if err := writeFile(filepath.Join(backup, filepath.FromSlash(f)), data); err != nil {
			return fmt.Errorf("backing up %s: %v (nothing was changed)", f, err)
		}
	}
	return nil
}

// applyReset copies the chapter to backup (unless backup is ""), then
// restores its skeleton.
func (a *app) applyReset(p resetPlan, backup string) error {
	if backup != "" {
		if err := a.backupChapter(p.ch, backup); err != nil {
			return err
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
