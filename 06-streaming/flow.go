package main

import "google.golang.org/grpc"

// HTTP/2 flow control on the server's side: how many bytes a client may send
// on one stream, and on one connection, before the server's code reads them.
const (
	streamWindowBytes = 64 << 10 // the smallest window gRPC takes
	connWindowBytes   = 1 << 20
	// maxStreams is how many streams one connection may have open at once.
	maxStreams = 100
)

// flowOptions returns the server options that bound what a client can make
// the server hold: a fixed window of streamWindowBytes per stream and
// connWindowBytes per connection (so a client that sends faster than a
// handler reads is held back by HTTP/2, and the window never grows), and at
// most maxStreams open streams per connection.
func flowOptions() []grpc.ServerOption {
	// step 4: the options go here.
	return nil
}
