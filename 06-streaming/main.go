// Command 06-streaming serves the helloworld.Greeter with its two streaming
// methods until it gets SIGINT (Ctrl-C) or SIGTERM, then stops: health
// NOT_SERVING first, then its long streams end, then a graceful stop with a
// bounded wait. With -call it is a client of such a server instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// gracePeriod is how long a stop waits for the calls in flight.
const gracePeriod = 10 * time.Second

func main() {
	addr := flag.String("addr", "localhost:50051", "host:port to listen on, or with -call to call (port 0 picks a free port)")
	replies := flag.Int("replies", 0, "server: replies per SayHelloStreamReply (0: one per language)")
	interval := flag.Duration("interval", 0, "server: pause between two replies of SayHelloStreamReply")
	call := flag.String("call", "", `client: "stream" calls SayHelloStreamReply, "bidi" calls SayHelloBidiStream`)
	names := flag.String("names", "you", "client: the name to greet, or for bidi a comma-separated list")
	max := flag.Int("max", 0, "client, stream: cancel after this many replies (0: read them all)")
	timeout := flag.Duration("timeout", 10*time.Second, "client: the call's deadline")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: go run . [-addr host:port] [-replies n] [-interval d]\n"+
			"       go run . -call stream|bidi [-addr host:port] [-names a,b,c] [-max n] [-timeout d]\n\n"+
			"Without -call, serves helloworld.Greeter (SayHello, SayHelloStreamReply, SayHelloBidiStream),\n"+
			"the gRPC health service and server reflection, and logs one line per call. Ctrl-C or SIGTERM\n"+
			"stops it: health NOT_SERVING, its streams end, then a graceful stop.\n"+
			"With -call, calls such a server and prints each reply.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *call != "" {
		if err := runClient(ctx, *addr, *call, *names, *max, *timeout); err != nil {
			fmt.Fprintln(os.Stderr, "06-streaming:", err)
			os.Exit(1)
		}
		return
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	g := &Greeter{Replies: *replies, Interval: *interval}
	if err := listenAndServe(ctx, *addr, g, logger); err != nil {
		logger.Error("server failed", "err", err)
		os.Exit(1)
	}
	logger.Info("stopped")
}

// listenAndServe listens on addr and serves g until ctx is done.
func listenAndServe(ctx context.Context, addr string, g *Greeter, logger *slog.Logger) error {
	d := newDrain()
	srv, err := newServer(logger, g, d)
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

// runClient makes one streaming call to addr and prints each reply.
func runClient(ctx context.Context, addr, call, names string, max int, timeout time.Duration) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	client := helloworld.NewGreeterClient(conn)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var messages []string
	switch call {
	case "stream":
		messages, err = collect(ctx, client, names, max)
	case "bidi":
		messages, err = chat(ctx, client, strings.Split(names, ","))
	default:
		return fmt.Errorf(`-call %q: want "stream" or "bidi"`, call)
	}
	for _, m := range messages {
		fmt.Println(m)
	}
	if err != nil {
		if s, ok := status.FromError(err); ok {
			return fmt.Errorf("the stream ended with %v: %s", s.Code(), s.Message())
		}
		return err
	}
	if len(messages) == 0 {
		return errors.New("the stream ended without a reply")
	}
	return nil
}
