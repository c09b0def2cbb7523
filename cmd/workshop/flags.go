package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// flagSet is one subcommand's flags, parsed with the same rules for every
// subcommand:
//
//   - flags may come before, between or after the positional arguments
//     (jump 01 3 -y, reset --all -y), as -flag or --flag;
//   - after "--" every argument is positional;
//   - -h, -help or --help prints the subcommand's usage on stdout (exit 0);
//   - an unknown flag, or a flag without its value, is a usage error (exit 2)
//     that names the flag and shows the usage line.
type flagSet struct {
	*flag.FlagSet
	name  string // the subcommand: "jump", "room serve"
	args  string // its positionals and flags, after the name: "<chapter> <step>|end [-y]"
	about string // what it does, printed under the usage line on -h

	aliases map[string][]string // a flag's other names
}

// newFlagSet returns the flag set of subcommand name, whose usage line is
// name followed by args.
func newFlagSet(name, args, about string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors itself
	return &flagSet{FlagSet: fs, name: name, args: args, about: about}
}

// alias declares another name for a flag already declared.
func (f *flagSet) alias(name, of string) {
	f.Var(f.Lookup(of).Value, name, "same as -"+of)
	if f.aliases == nil {
		f.aliases = map[string][]string{}
	}
	f.aliases[of] = append(f.aliases[of], name)
}

// parse parses args and returns the positional arguments in order. Its
// error is flag.ErrHelp after -h, or else a usage error (errUsage).
func (f *flagSet) parse(args []string) ([]string, error) {
	pos, err := interleave(f.FlagSet, args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return pos, err
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		msg = "unknown flag " + typed(args, name)
	}
	return nil, usagef("%s: %s", f.name, msg)
}

// typed returns flag (-name) as the user typed it: --name stays --name.
func typed(args []string, flag string) string {
	for _, arg := range args {
		if arg == "--" {
			break
		}
		name, _, _ := strings.Cut(arg, "=")
		if name == flag || name == "-"+flag {
			return name
		}
	}
	return flag
}

// interleave parses args with fs, taking the flags wherever they are: Go's
// flag package stops at the first positional argument, so it parses, takes
// one positional, and parses the rest, until "--" or the end.
func interleave(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// usage writes the subcommand's usage line, what it does, and its flags;
// self is how the workshop command is run ("go run ./cmd/workshop").
func (f *flagSet) usage(w io.Writer, self string) {
	fmt.Fprintf(w, "usage: %s %s %s\n", self, f.name, f.args)
	if f.about != "" {
		fmt.Fprintln(w, strings.TrimSpace(f.about))
	}
	var lines [][2]string // a flag's names, and what it does
	isAlias := map[string]bool{}
	for _, names := range f.aliases {
		for _, n := range names {
			isAlias[n] = true
		}
	}
	f.VisitAll(func(fl *flag.Flag) {
		if isAlias[fl.Name] {
			return // listed beside its flag
		}
		names := "-" + fl.Name
		for _, n := range f.aliases[fl.Name] {
			names += ", -" + n
		}
		if name, _ := flag.UnquoteUsage(fl); name != "" {
			names += " " + name
		}
		what := fl.Usage
		if d := fl.DefValue; d != "" && d != "false" && d != "0" {
			what += fmt.Sprintf(" (default %s)", d)
		}
		lines = append(lines, [2]string{names, what})
	})
	if len(lines) == 0 {
		return
	}
	width := 0
	for _, l := range lines {
		width = max(width, len(l[0]))
	}
	fmt.Fprintln(w, "Flags (before or after the arguments, as -flag or --flag):")
	for _, l := range lines {
		fmt.Fprintf(w, "  %-*s  %s\n", width, l[0], l[1])
	}
}

// exit reports a parse error: the usage on stdout after -h (exit 0), or
// the error and the usage line on stderr (exit 2).
func (f *flagSet) exit(err error, self string, stdout, stderr io.Writer) int {
	if errors.Is(err, flag.ErrHelp) {
		f.usage(stdout, self)
		return exitOK
	}
	fmt.Fprintf(stderr, "workshop: %v; usage: %s %s %s\n", err, self, f.name, f.args)
	return exitUsage
}

// parseFlags parses a student subcommand's args; when ok is false the
// subcommand returns code at once.
func (a *app) parseFlags(f *flagSet, args []string) (pos []string, code int, ok bool) {
	pos, err := f.parse(args)
	if err != nil {
		return nil, f.exit(err, a.self(), a.stdout, a.stderr), false
	}
	return pos, exitOK, true
}

// isHelp reports whether arg asks for help, as the flag package reads it.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--h" || arg == "--help" }
