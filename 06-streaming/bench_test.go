package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
)

// benchClient serves g over loopback TCP and returns a client of it.
func benchClient(b *testing.B, g *Greeter) helloworld.GreeterClient {
	srv := grpc.NewServer(flowOptions()...)
	helloworld.RegisterGreeterServer(srv, g)
	return helloworld.NewGreeterClient(dialTCP(b, serveTCP(b, srv)))
}

// BenchmarkMessages compares how many replies per second one connection
// carries: b.N unary SayHello calls, one after the other, against one
// SayHelloStreamReply of b.N replies:
//
//	go test -run '^$' -bench Messages
func BenchmarkMessages(b *testing.B) {
	b.Run("unary", func(b *testing.B) {
		client := benchClient(b, &Greeter{})
		for b.Loop() {
			if _, err := client.SayHello(b.Context(), &helloworld.HelloRequest{Name: "you"}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
	b.Run("stream", func(b *testing.B) {
		client := benchClient(b, &Greeter{Replies: b.N})
		b.ResetTimer()
		stream, err := client.SayHelloStreamReply(b.Context(), &helloworld.HelloRequest{Name: "you"})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != b.N {
			b.Fatalf("got %d replies, want %d", n, b.N)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
}

// BenchmarkRoundTrip compares the latency of one request and its reply: a
// unary call, against a name sent and its reply received on a
// bidirectional stream that stays open.
func BenchmarkRoundTrip(b *testing.B) {
	b.Run("unary", func(b *testing.B) {
		client := benchClient(b, &Greeter{})
		for b.Loop() {
			if _, err := client.SayHello(b.Context(), &helloworld.HelloRequest{Name: "you"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bidi", func(b *testing.B) {
		client := benchClient(b, &Greeter{})
		stream, err := client.SayHelloBidiStream(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		req := &helloworld.HelloRequest{Name: "you"}
		for b.Loop() {
			if err := stream.Send(req); err != nil {
				b.Fatal(err)
			}
			if _, err := stream.Recv(); err != nil {
				b.Fatal(err)
			}
		}
		stream.CloseSend()
	})
}

// BenchmarkSlowReader streams 10,000, then 100,000 replies to a client that sleeps a
// millisecond every 100 replies, far slower than the server sends, and
// reports the most live heap the process (server and client) held above
// its start, measured after a GC every 50ms (peak-live-heap-bytes), and
// the most replies the server was ahead of the reader (ahead-replies).
// Bounded means both stay the same however long the stream is.
func BenchmarkSlowReader(b *testing.B) {
	for _, replies := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint("replies=", replies), func(b *testing.B) { benchmarkSlowReader(b, replies) })
	}
}

func benchmarkSlowReader(b *testing.B, replies int) {
	var c sendCounter
	srv := grpc.NewServer(append(flowOptions(), grpc.ChainStreamInterceptor(c.intercept))...)
	helloworld.RegisterGreeterServer(srv, &Greeter{Replies: replies})
	client := helloworld.NewGreeterClient(dialTCP(b, serveTCP(b, srv)))

	var peakHeap, maxAhead int64
	for b.Loop() {
		c.sent.Store(0)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := int64(ms.HeapAlloc)

		ctx, cancel := context.WithTimeout(b.Context(), time.Minute)
		stream, err := client.SayHelloStreamReply(ctx, &helloworld.HelloRequest{Name: "you"})
		if err != nil {
			b.Fatal(err)
		}
		var read atomic.Int64
		done := make(chan struct{})
		go func() { // sample the live heap and the lag every 50ms
			defer close(done)
			for {
				select {
				case <-ctx.Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peakHeap = max(peakHeap, int64(ms.HeapAlloc)-base)
				maxAhead = max(maxAhead, c.sent.Load()-read.Load())
			}
		}()
		for {
			_, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if read.Add(1)%100 == 0 {
				time.Sleep(time.Millisecond) // the slow reader
			}
		}
		cancel()
		<-done
	}
	b.ReportMetric(float64(peakHeap), "peak-live-heap-bytes")
	b.ReportMetric(float64(maxAhead), "ahead-replies")
}
