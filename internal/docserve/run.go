package docserve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
)

// Run is the `workshop docs` subcommand: it parses args, finds the workshop
// from cwd, serves it on -addr and prints the address to open, until ctx
// ends. It returns the exit code: 0 after a clean stop or -h, 1 when it
// cannot serve, 2 for a usage error.
func Run(ctx context.Context, args []string, cwd string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("workshop docs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "localhost:6060", "where to listen; localhost:0 picks a free port")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./cmd/workshop docs [-addr host:port]")
		fmt.Fprintln(stderr, "Serves docs/ and the chapters' READMEs as HTML, offline, until Ctrl-C.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "workshop docs: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	root, err := FindRoot(cwd)
	if err != nil {
		fmt.Fprintln(stderr, "workshop docs:", err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "workshop docs: %v\nIs something else using that port? Pick another: go run ./cmd/workshop docs -addr localhost:0\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Serving the workshop's docs at %s (Ctrl-C to stop)\n", docsURL(*addr, ln.Addr()))
	if err := Serve(ctx, ln, root); err != nil {
		fmt.Fprintln(stderr, "workshop docs:", err)
		return 1
	}
	return 0
}

// docsURL is the address to open: the host as it was asked for (so
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
