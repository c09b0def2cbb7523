package main

import (
	"context"
	"fmt"
	"os"
)

// runSolution says where a chapter's solution is, or prints one of its
// files, after suggesting a hint first. The suggestion goes to stderr, so
// a printed file can be piped or redirected as it is.
func runSolution(ctx context.Context, a *app, args []string) int {
	flags := newFlagSet("solution", "<chapter> [file]", "Where a chapter's solution is, or print one of its files.")
	args, code, ok := a.parseFlags(flags, args)
	if !ok {
		return code
	}
	if len(args) < 1 || len(args) > 2 {
		return a.fail(usagef("usage: %s solution <chapter> [file]", a.self()))
	}
	ch, err := a.chapter(args[0], true)
	if err != nil {
		return a.fail(err)
	}
	files, err := a.solvedFiles(ch)
	if err != nil {
		return a.fail(err)
	}
	if len(files) == 0 {
		return a.fail(fmt.Errorf("%s has no solution yet: %s is empty or missing", ch.Dir, ch.SolutionDir()))
	}
	fmt.Fprintf(a.stderr, "%s try the hint first, the solution teaches less than finding it: %s hint %s\n",
		a.paint(bold, "Before you look:"), a.self(), ch.Number())

	if len(args) == 1 {
		fmt.Fprintf(a.stdout, "The solution of %s is in %s:\n", ch.Dir, a.rel(ch.SolutionDir()))
		for _, f := range files {
			fmt.Fprintf(a.stdout, "  %s\n", a.rel(ch.SolutionDir()+"/"+f))
		}
		fmt.Fprintf(a.stdout, "Compare it with yours: %s diff %s\n", a.self(), ch.Number())
		return exitOK
	}
	f, err := pickFile(ch, files, args[1])
	if err != nil {
		return a.fail(err)
	}
	data, err := os.ReadFile(a.dir(ch.SolutionDir() + "/" + f))
	if err != nil {
		return a.fail(err)
	}
	a.stdout.Write(data)
	return exitOK
}
