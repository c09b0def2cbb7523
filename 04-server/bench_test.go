package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// bareGreeter is the same generated service with nothing around it: no
// validation, no interceptors, no health, no reflection.
type bareGreeter struct {
	helloworld.UnimplementedGreeterServer
}

func (bareGreeter) SayHello(_ context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}

// BenchmarkSayHello compares unary SayHello over loopback TCP on a bare
// server and on the chapter's server (validation, logCalls, echoRequestID),
// in the same run:
//
//	go test -run '^$' -bench SayHello -count 5
func BenchmarkSayHello(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		srv := grpc.NewServer()
		helloworld.RegisterGreeterServer(srv, bareGreeter{})
		benchmarkSayHello(b, srv)
	})
	for _, bc := range []struct {
		name    string
		handler slog.Handler
	}{
		{"chapter-log-disabled", slog.DiscardHandler},
		{"chapter-log-text-to-discard", slog.NewTextHandler(io.Discard, nil)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			srv, err := newServer(slog.New(bc.handler))
			if err != nil {
				b.Skipf("newServer: %v", err)
			}
			benchmarkSayHello(b, srv)
		})
	}
}

func benchmarkSayHello(b *testing.B, srv *grpc.Server) {
	client := helloworld.NewGreeterClient(dialTCP(b, serveTCP(b, srv)))
	req := &helloworld.HelloRequest{Name: "you"}
	ctx := context.Background()
	if _, err := client.SayHello(ctx, req); err != nil {
		b.Skipf("SayHello: %s", status.Convert(err).Message())
	}
	for b.Loop() {
		if _, err := client.SayHello(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
