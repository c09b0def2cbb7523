package docserve

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/rpcworkshop/workshop/internal/course"
)

// Run is the `workshop docs` subcommand once cmd/workshop has parsed its
// flags: it finds the workshop from cwd, serves it on addr and prints the
// address to open, until ctx ends. It returns the exit code: 0 after a
// clean stop, 1 when it cannot serve.
func Run(ctx context.Context, addr, cwd string, stdout, stderr io.Writer) int {
	root, err := course.FindRoot(cwd)
	if err != nil {
		fmt.Fprintln(stderr, "workshop docs:", err)
		return 1
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "workshop docs: %v\nIs something else using that port? Pick another: go run ./cmd/workshop docs -addr localhost:0\n", err)
		return 1
	}
	urls := docsURLs(addr, ln.Addr(), interfaceIPs())
	fmt.Fprintf(stdout, "Serving the workshop's docs at %s (Ctrl-C to stop)\n", urls[0])
	if len(urls) > 1 {
		fmt.Fprintf(stdout, "Anyone who can reach this machine can read them too, at:\n")
		for _, u := range urls[1:] {
			fmt.Fprintf(stdout, "  %s\n", u)
		}
	}
	if err := Serve(ctx, ln, root); err != nil {
		fmt.Fprintln(stderr, "workshop docs:", err)
		return 1
	}
	return 0
}

// docsURLs are the addresses to open: first the one for this machine, then,
// when the server listens on every interface (0.0.0.0, ::, or no host), the
// addresses others on the network can use. A host named in -addr is kept
// as written (localhost stays localhost); the port is the one bound, so :0
// shows the port picked.
func docsURLs(flagAddr string, bound net.Addr, ips []net.IP) []string {
	_, port, _ := net.SplitHostPort(bound.String())
	url := func(host string) string { return "http://" + net.JoinHostPort(host, port) + "/docs/" }
	host, _, err := net.SplitHostPort(flagAddr)
	if err != nil {
		host = "localhost"
	}
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		return []string{url(host)}
	}
	urls := []string{url("localhost")}
	ipv4Only := host == "0.0.0.0"
	for _, ip := range ips {
		if ip.IsLoopback() || ip.IsLinkLocalUnicast() || (ipv4Only && ip.To4() == nil) {
			continue
		}
		urls = append(urls, url(ip.String()))
	}
	return urls
}

// interfaceIPs lists this machine's addresses.
func interfaceIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			ips = append(ips, n.IP)
		}
	}
	return ips
}
