package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

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

// BenchmarkSayHello measures unary SayHello over loopback TCP on a bare
// server and on the chapter's server (validation, logCalls, echoRequestID),
// its logger either disabled or writing text to io.Discard:
//
//	go test -run "^$" -bench SayHello -count 5
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
			srv, err := newServer(slog.New(bc.handler), newDrain())
			if err != nil {
				b.Skipf("newServer: %v", err)
			}
			benchmarkSayHello(b, srv)
		})
	}
}

// BenchmarkSayHelloInterleaved alternates calls to the bare server and to
// the chapter's (logger writing text to io.Discard), so a busy
// machine slows both alike, and reports the chapter's throughput as a
// fraction of the bare server's (chapter/bare; 1 means no overhead).
func BenchmarkSayHelloInterleaved(b *testing.B) {
	bare := grpc.NewServer()
	helloworld.RegisterGreeterServer(bare, bareGreeter{})
	chapter, err := newServer(slog.New(slog.NewTextHandler(io.Discard, nil)), newDrain())
	if err != nil {
		b.Skipf("newServer: %v", err)
	}
	clients := []helloworld.GreeterClient{
		helloworld.NewGreeterClient(dialTCP(b, serveTCP(b, bare))),
		helloworld.NewGreeterClient(dialTCP(b, serveTCP(b, chapter))),
	}
	req := &helloworld.HelloRequest{Name: "you"}
	ctx := context.Background()
	for _, c := range clients {
		if _, err := c.SayHello(ctx, req); err != nil {
			b.Skipf("SayHello: %s", status.Convert(err).Message())
		}
	}
	var spent [2]time.Duration
	for n := 0; b.Loop(); n++ {
		for k := range 2 {
			i := (n + k) % 2 // bare first on even rounds, chapter first on odd ones
			start := time.Now()
			if _, err := clients[i].SayHello(ctx, req); err != nil {
				b.Fatal(err)
			}
			spent[i] += time.Since(start)
		}
	}
	b.ReportMetric(float64(spent[0].Nanoseconds())/float64(b.N), "bare-ns/call")
	b.ReportMetric(float64(spent[1].Nanoseconds())/float64(b.N), "chapter-ns/call")
	b.ReportMetric(float64(spent[0])/float64(spent[1]), "chapter/bare")
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
