package main

import (
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// Dial returns a client connection to target, a gRPC channel that the
// calls will share. It does not connect: the first call does. extra holds
// more options; the tests pass one that dials an in-memory server.
//
// Step 1.
func Dial(target string, extra ...grpc.DialOption) (*grpc.ClientConn, error) {
	opts := []grpc.DialOption{
		// The workshop's servers speak plain HTTP/2, without TLS.
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}
	return grpc.NewClient(target, append(opts, extra...)...)
}
