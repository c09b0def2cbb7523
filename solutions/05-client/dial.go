package main

import (
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// Dial returns a client connection to target, a gRPC channel that the
// calls will share. It does not connect: the first call does, so Dial
// succeeds even when no server is running, and the connection is still idle
// when it returns. The workshop's servers speak plain HTTP/2, without TLS,
// and the connection must be told so. extra holds more options, applied after
// Dial's own; the tests pass one that dials an in-memory server.
func Dial(target string, extra ...grpc.DialOption) (*grpc.ClientConn, error) {
	opts := []grpc.DialOption{
		// The workshop's servers speak plain HTTP/2, without TLS.
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}
	return grpc.NewClient(target, append(opts, extra...)...)
}
