// Command workshop is the workshop's companion: it shows a student's
// progress, checks a chapter step by step, gives graduated hints, watches
// for changes, compares with the solution, jumps to a later step, skips a
// chapter and resets one.
//
// Run it from the workshop's root (from a chapter's folder, go run
// ../cmd/workshop); it finds the root by walking up to go.mod:
//
//	go run ./cmd/workshop            the progress table
//	go run ./cmd/workshop help       every subcommand
//
// docs/workshop-command.md shows every subcommand with its output.
//
// Exit codes: 0 all is well, 1 not done yet (tests fail, files differ, a
// reset declined) or something went wrong, 2 usage error (unknown
// subcommand, chapter, step, file or flag).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes a script can rely on.
const (
	exitOK      = 0 // done, or nothing to report
	exitNotDone = 1 // tests fail, files differ, a confirmation was declined, or an error
	exitUsage   = 2 // unknown subcommand, chapter, step, file or flag
)

const usage = `The workshop command: your progress, step-by-step checks, hints, resets.

Usage: go run ./cmd/workshop [subcommand]    (from a chapter's folder: go run ../cmd/workshop)

  (none)                      the progress table: each chapter, steps done, the next step to do
  check [chapter] [-v]        run a chapter's tests and report them step by step (-v: raw output too)
  hint [chapter] [step]       the next hint for a step; ask again for more (--all: every hint)
  watch [chapter]             check again whenever a file of the chapter changes; Ctrl-C stops
  diff <chapter> [file]       your files against the solution's, as a unified diff
  jump <chapter> <step> [-y]  start <step> with the solution's files for the steps before it in place
                              (yours are backed up first; <step> end: the whole chapter)
  skip <chapter> [--undo]     leave a chapter for later: Next: moves on (--undo takes it back)
  reset <chapter>|--all [-y]  restore the original skeleton, after backing up your files
                              (--all --remove-backups: also delete every backup, keep none)
  solution <chapter> [file]   where the solution is, or print one of its files
  verify                      check the whole workshop against the chapter contract
  docs                        read the docs in a browser, offline; Ctrl-C stops
  room serve [-addr host:port]
                              the instructor's live board of the room; Ctrl-C stops
  room join <host:port> -name "Your Name" -code <code>
                              report your step states (never your code) to the room's board
  room leave                  stop reporting to the room
  help                        this text

A chapter is its folder (01-rpc-basics) or its number (01 or 1). Without one,
check, hint and watch take the chapter you are in, or else the first one not
done; hint without a step takes the first step not done. Flags go before or
after a subcommand's arguments, with - or --; -h after a subcommand shows
its usage and flags.

Exit codes: 0 all is well; 1 not done yet (tests fail, files differ, reset
declined) or something went wrong; 2 usage error (unknown subcommand,
chapter, step, file or flag).

Colour is used only on a terminal, and never when NO_COLOR is set.
The command keeps its state (hints seen, chapters skipped, backups, the room
joined or served) in .workshop/ at the workshop's root, which git ignores;
delete that folder to start afresh.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "workshop:", err)
		os.Exit(exitNotDone)
	}
	code := run(ctx, os.Args[1:], cwd, os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is the whole command with its surroundings passed in (cwd is where
// it runs), so that tests can drive it.
func run(ctx context.Context, args []string, cwd string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	name, rest := "", args
	if len(args) > 0 {
		name, rest = args[0], args[1:]
	}
	switch name {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "verify":
		return runVerify(ctx, rest, cwd, stdout, stderr)
	case "docs":
		return runDocs(ctx, rest, cwd, stdout, stderr)
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "workshop: unknown subcommand %q; the subcommands are: check, hint, watch, diff, jump, skip, reset, solution, verify, docs, room, help\n", name)
		if len(name) > 0 && name[0] >= '0' && name[0] <= '9' {
			fmt.Fprintf(stderr, "To check a chapter: check %s\n", name)
		}
		return exitUsage
	}
	a, err := newApp(cwd, stdin, stdout, stderr, getenv)
	if err != nil {
		fmt.Fprintln(stderr, "workshop:", err)
		return exitNotDone
	}
	return cmd(ctx, a, rest)
}

// commands are the subcommands that work on the student's workshop.
var commands = map[string]func(context.Context, *app, []string) int{
	"":         runProgress,
	"check":    runCheck,
	"hint":     runHint,
	"watch":    runWatch,
	"diff":     runDiff,
	"reset":    runReset,
	"jump":     runJump,
	"skip":     runSkip,
	"solution": runSolution,
	"room":     runRoom,
}
