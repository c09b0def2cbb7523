package main

import (
	"io"
	"os"
)

// useColor reports whether to colour output written to w: only when w is a
// terminal, NO_COLOR is unset or empty (https://no-color.org) and the
// terminal is not "dumb".
func useColor(w io.Writer, getenv func(string) string) bool {
	return isTerminal(w) && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// isTerminal reports whether w is a terminal rather than a file or a pipe.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// ANSI colours, used through paint.
const (
	green = "\033[32m"
	red   = "\033[31m"
	cyan  = "\033[36m"
	bold  = "\033[1m"
	dim   = "\033[2m"
	plain = "\033[0m"
)

// paint wraps s in a colour when colour is on.
func (a *app) paint(color, s string) string {
	if !a.color {
		return s
	}
	return color + s + plain
}
