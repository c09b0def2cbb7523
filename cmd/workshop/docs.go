package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/rpcworkshop/workshop/internal/docserve"
)

// runDocs is "workshop docs": it serves the docs and the chapters' READMEs
// as HTML, for reading in a browser without a network, until Ctrl-C (ctx
// ends).
func runDocs(ctx context.Context, args []string, cwd string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("docs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "localhost:6060", "where to listen; localhost:0 picks a free port, 0.0.0.0:6060 lets the room's other machines in")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./cmd/workshop docs [-addr host:port]")
		fmt.Fprintln(stderr, "Serves docs/ and the chapters' READMEs as HTML, offline, until Ctrl-C.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "workshop docs: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	return docserve.Run(ctx, *addr, cwd, stdout, stderr)
}
