package verify

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/skeleton"
)

// sameGiven: every given file is byte for byte the solution's, like the tests.
func (v *verifier) sameGiven(ch course.Chapter) Check {
	c := Check{Name: "given files identical to the solution's"}
	var problems []string
	given := ch.FilesWith(course.Given)
	for _, f := range given {
		a, errA := os.ReadFile(filepath.Join(v.opts.Root, ch.Dir, filepath.FromSlash(f.Path)))
		b, errB := os.ReadFile(filepath.Join(v.opts.Root, ch.SolutionDir(), filepath.FromSlash(f.Path)))
		if errA != nil || errB != nil {
			continue // the declared check says which copy is missing
		}
		if !bytes.Equal(a, b) {
			problems = append(problems, fmt.Sprintf("%s is a given file but differs between %s and %s: a given file is the same in both; copy the one you mean over the other (diff %s %s)",
				f.Path, ch.Dir, ch.SolutionDir(), path.Join(ch.Dir, f.Path), path.Join(filepath.ToSlash(ch.SolutionDir()), f.Path)))
		}
	}
	if len(problems) > 0 {
		c.Detail = strings.Join(problems, "\n")
		return c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%d files", len(given))
	return c
}

// declared: every file of the chapter and of its solution is declared in
// course.json, and every declared file is where its role puts it.
func (v *verifier) declared(ch course.Chapter) Check {
	c := Check{Name: "every file is declared in " + course.File}
	sol := filepath.ToSlash(ch.SolutionDir())
	var problems []string
	undeclared := func(where, rel string) {
		problems = append(problems, fmt.Sprintf("%s/%s is not declared in %s: add it to %s's files with its role (student, given, test, testdata or shared), or delete it",
			where, rel, course.File, ch.Dir))
	}
	for _, rel := range v.filesIn(ch.Dir) {
		if _, ok := ch.FileOf(rel); !ok && !course.IsGuide(rel) {
			undeclared(ch.Dir, rel)
		}
	}
	for _, rel := range v.filesIn(sol) {
		if rel == MistakesFile || course.IsGuide(rel) {
			continue
		}
		if rest, ok := strings.CutPrefix(rel, skeleton.CheckpointDir+"/"); ok {
			_, file, _ := strings.Cut(rest, "/") // step2/run.go -> run.go
			if f, ok := ch.FileOf(file); !ok || f.Role != course.Student {
				problems = append(problems, fmt.Sprintf("%s/%s is a checkpoint of %s, which is not a student file of %s in %s: fix its path or delete it",
					sol, rel, file, ch.Dir, course.File))
			}
			continue
		}
		f, ok := ch.FileOf(rel)
		switch {
		case !ok:
			undeclared(sol, rel)
		case f.Role == course.Shared:
			problems = append(problems, fmt.Sprintf("%s/%s is declared shared, so it lives only in %s (the solution imports it from there): delete the solution's copy",
				sol, rel, ch.Dir))
		}
	}
	for _, f := range ch.Files {
		var in []string
		switch f.Role {
		case course.Student:
			in = []string{sol} // the skeleton may leave it for the student to create
		case course.Given, course.Test, course.Testdata:
			in = []string{ch.Dir, sol}
		case course.Shared:
			in = []string{ch.Dir}
		}
		for _, dir := range in {
			if _, err := os.Stat(filepath.Join(v.opts.Root, filepath.FromSlash(dir), filepath.FromSlash(strings.TrimSuffix(f.Path, "/")))); err != nil {
				problems = append(problems, fmt.Sprintf("%s declares %s (%s) in %s, but there is no %s/%s: restore it, or remove the entry",
					course.File, f.Path, f.Role, ch.Dir, dir, f.Path))
			}
		}
	}
	if len(problems) > 0 {
		c.Detail = strings.Join(problems, "\n")
		return c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%d entries", len(ch.Files))
	return c
}

// filesIn lists the files under dir (relative to the root), slash-separated
// and relative to dir, leaving out hidden files and Python's caches.
func (v *verifier) filesIn(dir string) []string {
	base := filepath.Join(v.opts.Root, filepath.FromSlash(dir))
	var files []string
	filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if p != base && (strings.HasPrefix(name, ".") || name == "__pycache__") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(base, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files
}

// snapshot: the copy "workshop reset" restores holds the student files as
// committed.
func (v *verifier) snapshot(c *course.Course) Check {
	check := Check{Name: "the reset snapshot is fresh"}
	stale, err := skeleton.Stale(v.opts.Root)
	switch {
	case err != nil:
		check.Detail = fmt.Sprintf("cannot compare %s with the chapters: %v: run go generate ./internal/skeleton", skeleton.File, err)
	case len(stale) > 0:
		check.Detail = fmt.Sprintf("%s is stale: workshop reset would not restore these files as committed:\n  %s\nRun go generate ./internal/skeleton and commit %s.",
			skeleton.File, strings.Join(stale, "\n  "), skeleton.File)
	default:
		check.OK = true
		n := 0
		for _, ch := range c.Chapters {
			n += len(ch.FilesWith(course.Student, course.Shared))
		}
		check.Detail = fmt.Sprintf("%d student and shared files", n)
	}
	return check
}
