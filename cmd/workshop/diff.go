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
)

// chapterFiles lists the files under dir (slash-separated, relative to
// dir), leaving out hidden files and the chapter's guides.
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

// comparedFiles is the union of the files of a chapter and its solution.
func (a *app) comparedFiles(ch course.Chapter) ([]string, error) {
	mine, err := chapterFiles(a.dir(ch.Dir))
	if err != nil {
		return nil, err
	}
	theirs, err := chapterFiles(a.dir(ch.SolutionDir()))
	if err != nil {
		return nil, err
	}
	all := append(mine, theirs...)
	slices.Sort(all)
	return slices.Compact(all), nil
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
	if len(args) < 1 || len(args) > 2 || strings.HasPrefix(args[0], "-") {
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
	if len(args) == 2 {
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
		d := unifiedDiff(filepath.ToSlash(mineName), filepath.ToSlash(theirsName), string(mine), string(theirs))
		if d == "" {
			continue
		}
		differ++
		a.printDiff(d)
	}
	if differ == 0 {
		fmt.Fprintf(a.stdout, "%s is the same as %s.\n", ch.Dir, ch.SolutionDir())
		return exitOK
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
