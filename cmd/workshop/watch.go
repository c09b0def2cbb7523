package main

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
)

// runWatch runs check, then runs it again each time a file of the chapter
// changes, until Ctrl-C. It polls modification times and sizes rather
// than asking the OS for events, so it works the same everywhere: Linux,
// macOS, Windows, WSL, network drives.
func runWatch(ctx context.Context, a *app, args []string) int {
	flags := newFlagSet("watch", "[chapter]", "Check the chapter again whenever one of its files changes; Ctrl-C stops.")
	args, code, ok := a.parseFlags(flags, args)
	if !ok {
		return code
	}
	if len(args) > 1 {
		return a.fail(usagef("usage: %s watch [chapter]", a.self()))
	}
	var ch course.Chapter
	if len(args) == 1 {
		var err error
		if ch, err = a.chapter(args[0], true); err != nil {
			return a.fail(err)
		}
	} else {
		cs, ok := a.defaultChapter(ctx)
		if !ok {
			return a.fail(usagef("no chapter is written yet, so there is nothing to watch"))
		}
		ch = cs.ch
	}

	dir := a.dir(ch.Dir)
	seen := fingerprint(dir)
	changed := ""
	for run := 1; ; run++ {
		if a.tty {
			fmt.Fprint(a.stdout, "\033[H\033[2J") // clear the screen
		}
		when := a.now().Format("15:04:05")
		if changed != "" {
			when += ", after a change to " + changed
		}
		fmt.Fprintf(a.stdout, "%s\n\n", a.paint(dim, fmt.Sprintf("[watch #%d at %s] Ctrl-C stops.", run, when)))
		cs := a.testChapter(ctx, ch)
		if ctx.Err() != nil {
			break
		}
		a.report(cs)
		a.reportToRoom(ctx, cs)
		fmt.Fprintf(a.stdout, "\n%s\n", a.paint(dim, "Watching "+ch.Dir+" for changes..."))

		changed = a.waitForChange(ctx, dir, &seen)
		if changed == "" {
			break
		}
	}
	fmt.Fprintln(a.stdout, "\nStopped watching.")
	return exitOK
}

// waitForChange polls dir until a file changes and then settles (editors
// often write a file in several steps). It returns the first changed
// file's path inside dir, or "" when ctx is done.
func (a *app) waitForChange(ctx context.Context, dir string, seen *map[string]string) string {
	tick := time.NewTicker(a.pollEvery)
	defer tick.Stop()
	changed := ""
	for {
		select {
		case <-ctx.Done():
			return ""
		case <-tick.C:
		}
		now := fingerprint(dir)
		diff := firstDifference(*seen, now)
		*seen = now
		switch {
		case diff != "":
			if changed == "" {
				changed = diff
			}
		case changed != "":
			return changed // one quiet tick after the change: run
		}
	}
}

// fingerprint maps each file of dir (leaving out hidden ones and editor
// backups) to its size and modification time.
func fingerprint(dir string) map[string]string {
	prints := map[string]string{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a file removed while we look: seen next time
		}
		name := d.Name()
		if path != dir && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		prints[filepath.ToSlash(rel)] = fmt.Sprintf("%d %d", info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return prints
}

// firstDifference names a file that was added, changed or removed.
func firstDifference(before, after map[string]string) string {
	for f, p := range after {
		if before[f] != p {
			return f
		}
	}
	for f := range before {
		if _, ok := after[f]; !ok {
			return f
		}
	}
	return ""
}
