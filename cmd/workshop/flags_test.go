package main

import (
	"context"
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/testkit"
)

// The workshop command parses the flags of every subcommand itself: -h
// explains them on stdout, and a wrong flag or argument is a usage error
// (exit 2) on stderr.
func TestSubcommandFlags(t *testing.T) {
	t.Parallel()
	root := testkit.Root(t)
	for _, tt := range []struct {
		args []string
		want int
		says string
	}{
		{[]string{"docs", "-h"}, exitOK, "usage: go run ./cmd/workshop docs"},
		{[]string{"docs", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"docs", "-port", "1"}, exitUsage, "docs: unknown flag -port; usage: go run ./cmd/workshop docs [-addr host:port]"},
		{[]string{"verify", "-h"}, exitOK, "usage: go run ./cmd/workshop verify"},
		{[]string{"verify", "-count"}, exitUsage, "flag needs an argument: -count"},
		{[]string{"verify", "now"}, exitUsage, `unexpected argument "now"`},
		{[]string{"verify", "-chapter", "99", "-q"}, exitUsage, `no chapter "99"`},
		// The student's subcommands follow the same rules, -h after the arguments too.
		{[]string{"jump", "01", "3", "-h"}, exitOK, "usage: go run ./cmd/workshop jump <chapter> <step>|end [-y]"},
		{[]string{"reset", "--all", "--help"}, exitOK, "-y, -yes"},
		{[]string{"hint", "-h"}, exitOK, "-all, -a"},
		{[]string{"diff", "01", "-h"}, exitOK, "usage: go run ./cmd/workshop diff <chapter> [file]"},
		{[]string{"room", "join", "-h"}, exitOK, "room join <host:port>"},
		{[]string{"skip", "01", "--bogus"}, exitUsage, "skip: unknown flag --bogus; usage: go run ./cmd/workshop skip <chapter> [--undo]"},
		{[]string{"solution", "-x"}, exitUsage, "solution: unknown flag -x"},
	} {
		var stdout, stderr testkit.SyncBuffer
		code := run(context.Background(), tt.args, root, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
		out, where := stderr.String(), "stderr"
		if tt.want == exitOK {
			out, where = stdout.String(), "stdout"
		}
		if code != tt.want || !strings.Contains(out, tt.says) {
			t.Errorf("workshop %s: exit %d, %s %q; want exit %d and %q", strings.Join(tt.args, " "), code, where, out, tt.want, tt.says)
		}
	}
}

// Every subcommand parses its flags with one flagSet: flags before, between
// or after the positional arguments, as -flag or --flag, aliases, "--", -h
// and unknown flags.
func TestFlagSet(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args    []string
		pos     []string
		yes     bool
		chapter string
		err     string // "" for none, "help" for flag.ErrHelp
	}{
		{args: nil, pos: nil},
		{args: []string{"01", "3"}, pos: []string{"01", "3"}},
		{args: []string{"01", "3", "-y"}, pos: []string{"01", "3"}, yes: true},
		{args: []string{"-y", "01", "3"}, pos: []string{"01", "3"}, yes: true},
		{args: []string{"01", "--y", "3"}, pos: []string{"01", "3"}, yes: true},
		{args: []string{"01", "3", "--yes"}, pos: []string{"01", "3"}, yes: true},
		{args: []string{"01", "-chapter", "02", "3"}, pos: []string{"01", "3"}, chapter: "02"},
		{args: []string{"01", "--chapter=02", "-y"}, pos: []string{"01"}, yes: true, chapter: "02"},
		{args: []string{"01", "--", "-y", "3"}, pos: []string{"01", "-y", "3"}},
		{args: []string{"01", "-h"}, err: "help"},
		{args: []string{"--help", "01"}, err: "help"},
		{args: []string{"01", "3", "-x"}, err: "jump: unknown flag -x"},
		{args: []string{"01", "--bogus=1", "3"}, err: "jump: unknown flag --bogus"},
		{args: []string{"01", "-chapter"}, err: "jump: flag needs an argument: -chapter"},
	} {
		fs := newFlagSet("jump", "<chapter> <step> [-y] [-chapter NN]", "")
		var yes bool
		fs.BoolVar(&yes, "y", false, "do not ask")
		fs.alias("yes", "y")
		chapter := fs.String("chapter", "", "a chapter")
		pos, err := fs.parse(tt.args)
		name := strings.Join(tt.args, " ")
		switch {
		case tt.err == "help":
			if !errors.Is(err, flag.ErrHelp) {
				t.Errorf("parse(%q): error %v; want flag.ErrHelp", name, err)
			}
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, errUsage) {
				t.Errorf("parse(%q): error %v; want a usage error saying %q", name, err, tt.err)
			}
		case err != nil:
			t.Errorf("parse(%q): unexpected error %v", name, err)
		case !slices.Equal(pos, tt.pos) || yes != tt.yes || *chapter != tt.chapter:
			t.Errorf("parse(%q) = %q, -y %v, -chapter %q; want %q, -y %v, -chapter %q", name, pos, yes, *chapter, tt.pos, tt.yes, tt.chapter)
		}
	}
}

// -h prints the usage line with the subcommand's positionals and flags,
// aliases beside their flag, on stdout with exit 0; an unknown flag prints
// the error and the usage line on stderr with exit 2.
func TestFlagSetUsage(t *testing.T) {
	t.Parallel()
	fs := newFlagSet("reset", "<chapter>|--all [-y]", "Restore a chapter.")
	fs.Bool("all", false, "reset every chapter")
	fs.Bool("y", false, "do not ask")
	fs.alias("yes", "y")

	var stdout, stderr strings.Builder
	_, err := fs.parse([]string{"--all", "-h"})
	if code := fs.exit(err, "go run ./cmd/workshop", &stdout, &stderr); code != exitOK || stderr.Len() > 0 {
		t.Errorf("reset -h: exit %d, stderr %q; want exit 0 and nothing on stderr", code, stderr.String())
	}
	for _, want := range []string{"usage: go run ./cmd/workshop reset <chapter>|--all [-y]\nRestore a chapter.\n", "-all ", "reset every chapter", "-y, -yes  do not ask"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("reset -h printed:\n%s\nwant it to contain %q", stdout.String(), want)
		}
	}

	stdout.Reset()
	_, err = fs.parse([]string{"01", "--force"})
	if code := fs.exit(err, "go run ./cmd/workshop", &stdout, &stderr); code != exitUsage || stdout.Len() > 0 {
		t.Errorf("reset 01 --force: exit %d, stdout %q; want exit %d and nothing on stdout", code, stdout.String(), exitUsage)
	}
	if want := "workshop: reset: unknown flag --force; usage: go run ./cmd/workshop reset <chapter>|--all [-y]\n"; stderr.String() != want {
		t.Errorf("reset 01 --force printed %q on stderr; want %q", stderr.String(), want)
	}
}
