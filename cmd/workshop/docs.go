package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/rpcworkshop/workshop/internal/docserve"
)

// runDocs serves the docs and the chapters' READMEs as HTML on localhost,
// for reading in a browser without a network, until Ctrl-C.
func runDocs(args []string) int {
	fs := flag.NewFlagSet("workshop docs", flag.ContinueOnError)
	addr := fs.String("addr", "localhost:6060", "where to listen; localhost:0 picks a free port")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go run ./cmd/workshop docs [-addr host:port]")
		fmt.Fprintln(fs.Output(), "Serves docs/ and the chapters' READMEs as HTML, offline, until Ctrl-C.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "workshop docs: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "workshop docs:", err)
		return exitNotDone
	}
	root, err := docserve.FindRoot(cwd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workshop docs:", err)
		return exitNotDone
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "workshop docs: %v\nIs something else using that port? Pick another: go run ./cmd/workshop docs -addr localhost:0\n", err)
		return exitNotDone
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Printf("Serving the workshop's docs at %s (Ctrl-C to stop)\n", docsURL(*addr, ln.Addr()))
	if err := docserve.Serve(ctx, ln, root); err != nil {
		fmt.Fprintln(os.Stderr, "workshop docs:", err)
		return exitNotDone
	}
	return exitOK
}

// docsURL is the address to open: the host as the student wrote it (so
// localhost stays localhost), with the port actually bound (so :0 shows the
// port picked).
func docsURL(flagAddr string, bound net.Addr) string {
	host, _, err := net.SplitHostPort(flagAddr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	_, port, _ := net.SplitHostPort(bound.String())
	return "http://" + net.JoinHostPort(host, port) + "/docs/"
}
