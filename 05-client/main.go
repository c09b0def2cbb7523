// Command client calls the Greeter's SayHello on a gRPC server and prints
// the greeting:
//
//	go run . -addr localhost:50051 -name you
//	Greeter client received: Hello, you!
package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/signal"
)

func main() {
	cfg, err := ParseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2)
	}

	// Ctrl-C cancels the call in flight instead of killing the program.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Run(ctx, cfg, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
