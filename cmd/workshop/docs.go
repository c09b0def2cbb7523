package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rpcworkshop/workshop/internal/docserve"
)

// runDocs serves the docs and the chapters' READMEs as HTML on localhost,
// for reading in a browser without a network, until Ctrl-C.
func runDocs(args []string) int {
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "workshop docs:", err)
		return exitNotDone
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return docserve.Run(ctx, args, cwd, os.Stdout, os.Stderr)
}
