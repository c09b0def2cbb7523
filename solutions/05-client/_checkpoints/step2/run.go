package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
)

// Run is the client: it connects to cfg.Addr once, calls SayHello cfg.N
// times over that one connection and prints each greeting to stdout as
// "Greeter client received: <greeting>", then, when cfg.N > 1, the line
// [Summary] gives. It returns the exit code: 0 when every call succeeded; 1
// at the first call that failed, with [Advice] on stderr; 2 when cfg cannot
// work or the connection cannot be set up. dialOpts go to [Dial].
//
// Run grows over three steps: step 2 makes one call with [Greet] and prints a
// failure as it is, step 3 prints the failure's advice instead, step 4 makes
// the cfg.N calls with [GreetWithID], each with a fresh [NewRequestID].
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

	// Step 3: print Advice(cfg, err) instead of the bare error.
	//
	// Step 4: make cfg.N calls with GreetWithID over the one connection,
	// each with NewRequestID(); print each greeting, and when cfg.N > 1,
	// the line Summary(results) returns.
	message, err := Greet(ctx, client, cfg.Name, cfg.Timeout)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "Greeter client received: %s\n", message)
	return 0
}
