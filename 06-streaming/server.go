package main

import (
	"errors"
	"log/slog"

	"google.golang.org/grpc"
)

// newServer builds a gRPC server with g as the Greeter, d's health service
// (reporting SERVING for "" and "helloworld.Greeter") and server
// reflection, under flowOptions. Every unary call goes through logCalls;
// every streaming call goes through logStreams, then through d's
// interceptor, so that a stop can end it. The server does not listen yet.
func newServer(logger *slog.Logger, g *Greeter, d *drain) (*grpc.Server, error) {
	// Step 5: grpc.NewServer with flowOptions(), logCalls chained as the
	// unary interceptor and logStreams as the stream interceptor; register
	// g, d.health (SERVING for "" and "helloworld.Greeter") and reflection.
	// Step 6: chain d.interceptor after logStreams.
	return nil, errors.New("step 5: newServer is not implemented yet")
}
