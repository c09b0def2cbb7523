package main

import (
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

// chapterFiles lists the files under dir (slash-separated, relative to
// dir), leaving out hidden files and the chapter's guides: what the student
// has in a chapter's folder.
func chapterFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !strings.Contains(rel, "/") && course.IsGuide(rel) {
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return files, err
}

// solvedFiles lists the files a chapter's solution has, by course.json:
// its student, given and test files and test data, slash-separated and
// relative to the solution's folder. Shared files live only in the
// chapter; the solution's checkpoints and mistakes are not the solution.
func (a *app) solvedFiles(ch course.Chapter) ([]string, error) {
	return a.declaredFiles(ch, a.dir(ch.SolutionDir()), course.Student, course.Given, course.Test, course.Testdata)
}

// declaredFiles lists the files under dir (a chapter's folder or its
// solution's) that course.json declares with one of roles, test data
// folders expanded.
func (a *app) declaredFiles(ch course.Chapter, dir string, roles ...course.Role) ([]string, error) {
	var out []string
	for _, f := range ch.FilesWith(roles...) {
		if !f.Dir() {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Path))); err == nil {
				out = append(out, f.Path)
			}
			continue
		}
		inside, err := chapterFiles(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, err
		}
		for _, rel := range inside {
			out = append(out, f.Path+rel)
		}
	}
	slices.Sort(out)
	return out, nil
}

// comparedFiles is what diff compares: the solution's files, the chapter's
// copies of them, and the files the student added to the chapter (which the
// solution does not have).
func (a *app) comparedFiles(ch course.Chapter) ([]string, error) {
	solved, err := a.solvedFiles(ch)
	if err != nil {
		return nil, err
	}
	mine, err := a.declaredFiles(ch, a.dir(ch.Dir), course.Student, course.Given, course.Test, course.Testdata)
	if err != nil {
		return nil, err
	}
	all, err := chapterFiles(a.dir(ch.Dir))
	if err != nil {
		return nil, err
	}
	for _, rel := range all {
		if _, declared := ch.FileOf(rel); !declared {
			mine = append(mine, rel) // added by the student
		}
	}
	files := append(solved, mine...)
	slices.Sort(files)
	return slices.Compact(files), nil
}

// pickFile matches what the student typed (a path in the chapter, or just
// a file's name) against the chapter's files.
func pickFile(ch course.Chapter, files []string, arg string) (string, error) {
	arg = filepath.ToSlash(filepath.Clean(arg))
	arg = strings.TrimPrefix(arg, "solutions/")
	arg = strings.TrimPrefix(arg, ch.Dir+"/")
	var byName []string
	for _, f := range files {
		if f == arg {
			return f, nil
		}
		if pathBase(f) == arg {
			byName = append(byName, f)
		}
	}
	if len(byName) == 1 {
		return byName[0], nil
	}
	return "", usagef("%s has no file %q; its files are:\n  %s", ch.Dir, arg, strings.Join(files, "\n  "))
}

func pathBase(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// runDiff prints the student's files against the solution's.
func runDiff(ctx context.Context, a *app, args []string) int {
	flags := newFlagSet("diff", "<chapter> [file]", "Your files against the solution's, as a unified diff.")
	args, code, ok := a.parseFlags(flags, args)
	if !ok {
		return code
	}
	if len(args) < 1 || len(args) > 2 {
		return a.fail(usagef("usage: %s diff <chapter> [file]", a.self()))
	}
	ch, err := a.chapter(args[0], true)
	if err != nil {
		return a.fail(err)
	}
	files, err := a.comparedFiles(ch)
	if err != nil {
		return a.fail(err)
	}
	one := len(args) == 2
	if one {
		f, err := pickFile(ch, files, args[1])
		if err != nil {
			return a.fail(err)
		}
		files = []string{f}
	}
	differ := 0
	for _, f := range files {
		mineName, theirsName := ch.Dir+"/"+f, ch.SolutionDir()+"/"+f
		mine, errMine := os.ReadFile(a.dir(mineName))
		theirs, errTheirs := os.ReadFile(a.dir(theirsName))
		if errMine != nil {
			mineName = "/dev/null"
		}
		if errTheirs != nil {
			theirsName = "/dev/null"
		}
		if errMine == nil && errTheirs == nil && skeleton.Same(mine, theirs) {
			continue // the same text, perhaps with other line ends
		}
		d := unifiedDiff(filepath.ToSlash(mineName), filepath.ToSlash(theirsName), string(mine), string(theirs))
		if d == "" {
			continue
		}
		differ++
		a.printDiff(d)
	}
	switch {
	case one && differ == 0:
		fmt.Fprintf(a.stdout, "%s/%s is the same as %s/%s.\n", ch.Dir, files[0], filepath.ToSlash(ch.SolutionDir()), files[0])
		return exitOK
	case differ == 0:
		fmt.Fprintf(a.stdout, "%s is the same as %s.\n", ch.Dir, filepath.ToSlash(ch.SolutionDir()))
		return exitOK
	case one:
		fmt.Fprintf(a.stderr, "%s differs: lines with - are yours, lines with + are the solution's.\n", files[0])
		return exitNotDone
	}
	fmt.Fprintf(a.stderr, "%d file(s) differ: lines with - are yours, lines with + are the solution's.\n", differ)
	return exitNotDone
}

// printDiff prints a unified diff, in colour on a terminal.
func (a *app) printDiff(d string) {
	for _, line := range strings.SplitAfter(d, "\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, "--- ") || strings.HasPrefix(line, "+++ "):
			fmt.Fprint(a.stdout, a.paintLine(bold, line))
		case strings.HasPrefix(line, "@@"):
			fmt.Fprint(a.stdout, a.paintLine(cyan, line))
		case line[0] == '-':
			fmt.Fprint(a.stdout, a.paintLine(red, line))
		case line[0] == '+':
			fmt.Fprint(a.stdout, a.paintLine(green, line))
		default:
			fmt.Fprint(a.stdout, line)
		}
	}
}

// paintLine colours a line but not its newline.
func (a *app) paintLine(color, line string) string {
	return a.paint(color, strings.TrimSuffix(line, "\n")) + "\n"
}
