package verify

import (
	"fmt"
	"io"
)

// Print writes the report chapter by chapter, then the closing line that
// CI reads: "N passed, N failed, N skipped". Before it: the notes (said
// once), then one line per kind of check with its time.
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
	for _, n := range r.Notes {
		fmt.Fprintln(w, "Note:", n)
	}
	for _, t := range r.Timings {
		fmt.Fprintln(w, t)
	}
	fmt.Fprintf(w, "verify took %.0fs\n", r.Elapsed.Seconds())
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
}
