package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
)

// Run is the client: it connects to cfg.Addr, calls SayHello cfg.N times
// over that one connection and prints each greeting to stdout. It returns
// the exit code: 0 when every call succeeded, 1 when one failed (with
// advice on stderr), 2 when cfg cannot work. dialOpts go to Dial.
//
// Steps 2, 3 and 4.
func Run(ctx context.Context, cfg Config, stdout, stderr io.Writer, dialOpts ...grpc.DialOption) int {
	if err := cfg.Check(); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}

	conn, err := Dial(cfg.Addr, dialOpts...)
	if err != nil {
		fmt.Fprintf(stderr, "cannot use -addr %s: %v\n", cfg.Addr, err)
		return 2
	}
	defer conn.Close()
	client := helloworld.NewGreeterClient(conn)

	var results []Result
	for range cfg.N {
		r, err := GreetWithID(ctx, client, cfg.Name, cfg.Timeout, NewRequestID())
		if err != nil {
			fmt.Fprintln(stderr, Advice(cfg, err))
			return 1
		}
		fmt.Fprintf(stdout, "Greeter client received: %s\n", r.Message)
		results = append(results, r)
	}
	if cfg.N > 1 {
		fmt.Fprintln(stdout, Summary(results))
	}
	return 0
}
