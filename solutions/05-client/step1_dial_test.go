package main

import (
	"context"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc/connectivity"
)

func TestStep1_DialIsLazy(t *testing.T) {
	// Nothing listens at these targets: a lazy Dial does not notice.
	for _, target := range []string{
		"localhost:50051",
		"dns:///localhost:50051",
		"passthrough:///127.0.0.1:50051",
		"127.0.0.1:1",
	} {
		start := time.Now()
		conn, err := Dial(target)
		elapsed := time.Since(start)
		testkit.StopIfNotImplemented(t, err, "dial.go")
		if err != nil {
			t.Fatalf("Dial(%q) returned an error: %v\nuse grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))", target, err)
		}
		if conn == nil {
			t.Fatalf("Dial(%q) returned a nil connection and no error: return what grpc.NewClient returns", target)
		}
		state := conn.GetState()
		got := conn.Target()
		conn.Close()
		if elapsed > time.Second {
			t.Errorf("Dial(%q) took %v: grpc.NewClient returns at once and connects on the first call; do not wait for the connection", target, elapsed.Round(time.Millisecond))
		}
		if state != connectivity.Idle {
			t.Errorf("Dial(%q) left the connection %v, want IDLE: grpc.NewClient is lazy, let the first call connect (no Connect, no waiting)", target, state)
		}
		if got != target {
			t.Errorf("Dial(%q) made a connection to target %q: pass target to grpc.NewClient unchanged", target, got)
		}
		if t.Failed() {
			return // one target is enough to show the problem
		}
	}
}

func TestStep1_DialReachesServer(t *testing.T) {
	log := &callLog{}
	srv := startServer(t, hello(log, false))

	conn, err := Dial(testTarget, srv.dialOpts...)
	testkit.StopIfNotImplemented(t, err, "dial.go")
	if err != nil {
		t.Fatalf("Dial returned an error: %v\nthe workshop's servers use no TLS: pass grpc.WithTransportCredentials(insecure.NewCredentials()) to grpc.NewClient", err)
	}
	defer conn.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	reply, err := helloworld.NewGreeterClient(conn).SayHello(ctx, &helloworld.HelloRequest{Name: "you"})
	if err != nil {
		t.Fatalf("a call over the connection from Dial failed: %v\npass the extra options to grpc.NewClient after the credentials: the test's in-memory dialer is one of them", err)
	}
	if got, want := reply.GetMessage(), "Hello, you!"; got != want {
		t.Fatalf("the call over Dial's connection returned %q, want %q", got, want)
	}
}
