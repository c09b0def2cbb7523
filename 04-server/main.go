// Command 04-server serves the helloworld.Greeter over gRPC until it gets
// SIGINT (Ctrl-C) or SIGTERM, then stops gracefully.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// gracePeriod is how long a stop waits for the calls in flight.
const gracePeriod = 10 * time.Second

func main() {
	addr := flag.String("addr", "localhost:50051", "host:port to listen on (port 0 picks a free port)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: go run . [-addr host:port]\n\n"+
			"Serves helloworld.Greeter (SayHello, SayHelloAgain), the gRPC health service and\n"+
			"server reflection. Logs one line per call. Ctrl-C or SIGTERM stops it gracefully.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := listenAndServe(ctx, *addr, logger); err != nil {
		logger.Error("server failed", "err", err)
		os.Exit(1)
	}
	logger.Info("stopped")
}

// listenAndServe listens on addr and serves the Greeter until ctx is done.
func listenAndServe(ctx context.Context, addr string, logger *slog.Logger) error {
	d := newDrain()
	srv, err := newServer(logger, d)
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	logger.Info("serving helloworld.Greeter", "addr", lis.Addr().String())
	return serve(ctx, srv, d, lis, gracePeriod)
}
