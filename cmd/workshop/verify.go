package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/verify"
)

// exitInterrupted is the exit code after Ctrl-C, as a shell reports a
// process stopped by SIGINT (128+2).
const exitInterrupted = 130

// runVerify is "workshop verify": the one command that proves the chapter
// contract for every chapter, and the one CI runs. It stops at once on
// Ctrl-C, says "interrupted" and reports nothing it did not finish.
func runVerify(ctx context.Context, args []string, cwd string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", "[-count N] [-chapter NN] [-quick] [-q]", `
Proves the chapter contract for every chapter: skeletons build and fail step by step,
solutions pass with -race, test and given files match, gofmt/vet clean, generated code
and snapshot fresh, links resolve; then wrong implementations, jump states, a CRLF
checkout, the instructor's live-coding script and builds for Windows, macOS and Linux.`)
	count := fs.Int("count", 20, "run each solution's tests this many times (catches flaky tests)")
	chapter := fs.String("chapter", "", "verify only this chapter (folder name or number); skips the machinery's tests")
	root := fs.String("root", "", "the workshop's root folder (default: the folder holding go.mod, found upward)")
	quick := fs.Bool("quick", false, "skip the deep checks: wrong implementations, jump states, a CRLF checkout, the live-coding script, other platforms")
	quiet := fs.Bool("q", false, "do not print progress while running")
	pos, err := fs.parse(args)
	if err == nil && len(pos) > 0 {
		err = usagef("verify: unexpected argument %q", pos[0])
	}
	if err != nil {
		return fs.exit(err, "go run ./cmd/workshop", stdout, stderr)
	}
	if *root == "" {
		var err error
		if *root, err = course.FindRoot(cwd); err != nil {
			fmt.Fprintln(stderr, "workshop verify:", err)
			return exitUsage
		}
	}
	opts := verify.Options{Root: *root, Count: *count, Chapter: *chapter}
	if !*quick {
		opts.Mistakes, opts.Jumps, opts.CRLF, opts.Script, opts.Targets = true, true, true, true, verify.Targets
	}
	if !*quiet {
		opts.Progress = stderr
	}
	report, err := verify.Run(ctx, opts)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "interrupted")
		return exitInterrupted
	}
	if err != nil {
		fmt.Fprintln(stderr, "workshop verify:", err)
		return exitUsage
	}
	verify.Print(stdout, report)
	if _, failed, _ := report.Counts(); failed > 0 {
		return exitNotDone
	}
	return exitOK
}
