package main

import (
	"context"
	"io"

	"github.com/rpcworkshop/workshop/internal/docserve"
)

// runDocs is "workshop docs": it serves the docs and the chapters' READMEs
// as HTML, for reading in a browser without a network, until Ctrl-C (ctx
// ends).
func runDocs(ctx context.Context, args []string, cwd string, stdout, stderr io.Writer) int {
	fs := newFlagSet("docs", "[-addr host:port]", "Serves docs/ and the chapters' READMEs as HTML, offline, until Ctrl-C.")
	addr := fs.String("addr", "localhost:6060", "where to listen; localhost:0 picks a free port, 0.0.0.0:6060 lets the room's other machines in")
	pos, err := fs.parse(args)
	if err == nil && len(pos) > 0 {
		err = usagef("docs: unexpected argument %q", pos[0])
	}
	if err != nil {
		return fs.exit(err, "go run ./cmd/workshop", stdout, stderr)
	}
	return docserve.Run(ctx, *addr, cwd, stdout, stderr)
}
