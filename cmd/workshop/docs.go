package main

import (
	"context"
	"io"

	"github.com/rpcworkshop/workshop/internal/docserve"
)

// runDocs serves the docs and the chapters' READMEs as HTML on localhost,
// for reading in a browser without a network, until Ctrl-C (ctx ends).
func runDocs(ctx context.Context, args []string, cwd string, stdout, stderr io.Writer) int {
	return docserve.Run(ctx, args, cwd, stdout, stderr)
}
