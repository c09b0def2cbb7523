package main

import (
	"context"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
)

// Greet calls SayHello with name and returns the server's greeting. The
// call gets a deadline timeout from now; opts go to the call unchanged.
//
// Step 2.
func Greet(ctx context.Context, client helloworld.GreeterClient, name string, timeout time.Duration, opts ...grpc.CallOption) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	reply, err := client.SayHello(ctx, &helloworld.HelloRequest{Name: name}, opts...)
	if err != nil {
		return "", err
	}
	return reply.GetMessage(), nil
}
