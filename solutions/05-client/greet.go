package main

import (
	"context"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
)

// Greet calls SayHello with name and returns the server's greeting, or the
// call's error unchanged: its status is what [Advice] reads. The call has a
// deadline timeout from now, and it carries what ctx carries: the caller's
// metadata, and its cancellation. opts go to the call unchanged.
func Greet(ctx context.Context, client helloworld.GreeterClient, name string, timeout time.Duration, opts ...grpc.CallOption) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	reply, err := client.SayHello(ctx, &helloworld.HelloRequest{Name: name}, opts...)
	if err != nil {
		return "", err
	}
	return reply.GetMessage(), nil
}
