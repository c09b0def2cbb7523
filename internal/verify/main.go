package verify

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/rpcworkshop/workshop/internal/course"
)

// Main is the verify command: it parses args, runs every check and prints
// the report. It returns the process's exit code: 0 when every check held,
// 1 when one did not, 2 when verify could not run.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	count := fs.Int("count", 20, "run each solution's tests this many times (catches flaky tests)")
	chapter := fs.String("chapter", "", "verify only this chapter (folder name or number); skips the machinery's tests")
	root := fs.String("root", "", "the workshop's root folder (default: the folder holding go.mod, found upward)")
	quiet := fs.Bool("q", false, "do not print progress while running")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: workshop verify [-count N] [-chapter NN] [-q]")
		fmt.Fprintln(stderr, "Proves the chapter contract for every chapter: skeletons build and fail step by step,")
		fmt.Fprintln(stderr, "solutions pass with -race, test files match, gofmt/vet clean, generated code fresh, links resolve.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *root == "" {
		var err error
		if *root, err = course.FindRoot("."); err != nil {
			fmt.Fprintln(stderr, "verify:", err)
			return 2
		}
	}
	opts := Options{Root: *root, Count: *count, Chapter: *chapter}
	if !*quiet {
		opts.Progress = stderr
	}
	report, err := Run(context.Background(), opts)
	if err != nil {
		fmt.Fprintln(stderr, "verify:", err)
		return 2
	}
	Print(stdout, report)
	if _, failed, _ := report.Counts(); failed > 0 {
		return 1
	}
	return 0
}

// Print writes the report chapter by chapter, then the closing line that
// CI reads: "N passed, N failed, N skipped".
func Print(w io.Writer, r *Report) {
	for _, s := range r.Sections {
		fmt.Fprintf(w, "\n%s\n", s.Title)
		for _, c := range s.Checks {
			mark := "ok  "
			switch {
			case c.Skipped:
				mark = "skip"
			case !c.OK:
				mark = "FAIL"
			}
			line := fmt.Sprintf("  %s  %s", mark, c.Name)
			if c.Detail != "" && (c.OK || c.Skipped) {
				line += ": " + c.Detail
				fmt.Fprintln(w, line)
				continue
			}
			fmt.Fprintln(w, line)
			if c.Detail != "" {
				fmt.Fprintln(w, indent(c.Detail, "        "))
			}
		}
	}
	passed, failed, skipped := r.Counts()
	fmt.Fprintln(w)
	if failed > 0 {
		fmt.Fprintln(w, "What to fix:")
		for _, f := range r.Failed() {
			fmt.Fprintln(w, "  -", f)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "verify took %.0fs\n", r.Elapsed.Seconds())
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
}
