// Command grpcframes makes one Greeter call by writing the HTTP/2 frames
// itself, and prints every frame that crosses the connection, both ways, in
// readable form: the SETTINGS, the HEADERS with their decoded fields
// (:path /helloworld.Greeter/SayHello, content-type application/grpc,
// grpc-timeout), the DATA with gRPC's 5-byte prefix and the protobuf bytes,
// and the trailers with grpc-status.
//
// Start a Greeter server first (go run ./solutions/04-server), then, from
// the workshop's root:
//
//	go run ./cmd/grpcframes
//	go run ./cmd/grpcframes -addr localhost:50051 -name you -method SayHello -timeout 1s -request-id 42
//
// Against chapter 06's server (go run ./solutions/06-streaming -replies 3),
// -method SayHelloStreamReply shows a server stream: one DATA frame per
// reply, then the trailers.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "the Greeter server's host:port")
	name := flag.String("name", "you", "the name to send in HelloRequest")
	method := flag.String("method", "SayHello", "the Greeter method to call: SayHello, SayHelloStreamReply against chapter 06's server (try one that does not exist, too)")
	timeout := flag.Duration("timeout", time.Second, "the call's deadline, sent as grpc-timeout")
	requestID := flag.String("request-id", "", "if set, sent as the metadata x-request-id (the chapter 04 server echoes it)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./cmd/grpcframes [flags]")
		fmt.Fprintln(os.Stderr, "Makes one Greeter call over plain-text HTTP/2 and prints every frame, both ways.")
		flag.PrintDefaults()
	}
	flag.Parse()

	conn, err := net.DialTimeout("tcp", *addr, *timeout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "grpcframes: %v\nIs a Greeter server running? Start one with: go run ./solutions/04-server\n", err)
		os.Exit(1)
	}
	defer conn.Close()
	call := Call{Authority: *addr, Method: *method, Name: *name, Timeout: *timeout, RequestID: *requestID}
	if err := Capture(conn, call, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "grpcframes: %v\n", err)
		os.Exit(1)
	}
}
