package main

import (
	"context"
	"errors"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
)

// Greet calls SayHello with name and returns the server's greeting. The
// call gets a deadline timeout from now; opts go to the call unchanged.
//
// Step 2: derive a context with context.WithTimeout(ctx, timeout) (and
// defer its cancel), call client.SayHello with it, a HelloRequest and
// opts..., and return the reply's message or the call's error.
func Greet(ctx context.Context, client helloworld.GreeterClient, name string, timeout time.Duration, opts ...grpc.CallOption) (string, error) {
	return "", errors.New("step 2: Greet is not implemented yet")
}
