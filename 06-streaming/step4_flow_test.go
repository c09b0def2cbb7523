package main

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// sendCounter is a stream interceptor that counts, across all streams, the
// messages the handlers sent and received.
type sendCounter struct{ sent, received atomic.Int64 }

func (c *sendCounter) intercept(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	return handler(srv, &counted{ServerStream: ss, c: c})
}

type counted struct {
	grpc.ServerStream
	c *sendCounter
}

func (s *counted) SendMsg(m any) error {
	err := s.ServerStream.SendMsg(m)
	if err == nil {
		s.c.sent.Add(1)
	}
	return err
}

func (s *counted) RecvMsg(m any) error {
	err := s.ServerStream.RecvMsg(m)
	if err == nil {
		s.c.received.Add(1)
	}
	return err
}

// settle waits until n stops changing for 300ms (at most 5s), and returns it.
func settle(n func() int64) int64 {
	last, since := n(), time.Now()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if v := n(); v != last {
			last, since = v, time.Now()
		} else if time.Since(since) > 300*time.Millisecond {
			break
		}
	}
	return last
}

// floodBound is how many bytes of messages a client may get ahead of a
// server's handler that stopped reading: the server's HTTP/2 window, plus
// the 64 KiB that gRPC queues per stream on the sending side, plus a little.
const floodBound = streamWindowBytes + 64<<10 + 1<<10

// slowReaderBound is how many bytes a server may get ahead of a client that
// stopped reading. The test's client keeps gRPC's default window, which
// starts at 64 KiB and may grow: far less than 100,000 replies, still.
const slowReaderBound = 1 << 20

// wireSize is the bytes of one message in the DATA frames: gRPC's 5-byte
// prefix and the protobuf bytes.
func wireSize(m proto.Message) int64 { return int64(proto.Size(m)) + 5 }

// The server streams 100,000 replies to a client that reads one and stops:
// HTTP/2 flow control makes the handler's Send wait, so the server holds a
// bounded number of bytes however far behind the client is.
func TestStep4_SlowReaderBlocksSend(t *testing.T) {
	noLeaks(t)
	const replies = 100_000
	var c sendCounter
	client, ends := greeterServer(t, &Greeter{Replies: replies}, grpc.ChainStreamInterceptor(c.intercept))
	ctx, cancel := context.WithCancel(callContext(t))
	defer cancel()
	stream, err := client.SayHelloStreamReply(ctx, &helloworld.HelloRequest{Name: "Ada"},
		grpc.MaxCallRecvMsgSize(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	testkit.StopIfNotImplemented(t, err, "greeter.go")
	if err != nil {
		t.Fatalf("the first reply: %v", err)
	}
	sent := settle(c.sent.Load)
	size := wireSize(first)
	if sent >= replies {
		t.Fatalf("the server sent all %d replies to a client that read one: Send should wait while the client does not read", replies)
	}
	if ahead := (sent - 1) * size; ahead > slowReaderBound {
		t.Errorf("the server got %d replies (%d bytes) ahead of a client that stopped reading; want at most %d bytes: send each reply with stream.Send as you make it, never into a queue of your own", sent-1, ahead, slowReaderBound)
	}
	t.Logf("the server sent %d replies (about %d bytes) ahead of the reader, then Send waited", sent-1, (sent-1)*size)

	cancel()
	err = handlerEnd(t, ends, time.Second, "the slow client cancelled")
	if status.Code(err) != codes.Canceled {
		t.Errorf("the handler blocked in Send returned %v when the client cancelled; want code Canceled: return Send's error", err)
	}
}

// A client that opens a stream and never reads: its deadline unblocks the
// server's Send, and the server serves others meanwhile.
func TestStep4_DeadlineUnblocksSend(t *testing.T) {
	noLeaks(t)
	client, ends := greeterServer(t, &Greeter{Replies: 100_000})
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	if _, err := client.SayHelloStreamReply(ctx, &helloworld.HelloRequest{Name: "Ada"}); err != nil {
		t.Fatal(err)
	}
	// Meanwhile, another call on the same connection is served.
	other, err := client.SayHelloStreamReply(callContext(t), &helloworld.HelloRequest{Name: "Bo"}, grpc.MaxCallRecvMsgSize(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Recv(); err != nil {
		testkit.StopIfNotImplemented(t, err, "greeter.go")
		t.Fatalf("while a client does not read its stream, another stream got %v; want replies", err)
	}
	err = handlerEnd(t, ends, 2*time.Second, "the deadline of a client that never reads")
	if code := status.Code(err); code != codes.DeadlineExceeded && code != codes.Canceled {
		t.Errorf("the handler blocked in Send returned %v at the deadline; want code DeadlineExceeded (or Canceled): return Send's error", err)
	}
}

// stalledBidi is a SayHelloBidiStream that reads nothing until release is
// closed, counting the streams that entered it.
type stalledBidi struct {
	helloworld.UnimplementedGreeterServer
	entered atomic.Int64
	release chan struct{}
}

func (s *stalledBidi) SayHelloBidiStream(stream grpc.BidiStreamingServer[helloworld.HelloRequest, helloworld.HelloReply]) error {
	s.entered.Add(1)
	select {
	case <-s.release:
	case <-stream.Context().Done():
	}
	return nil
}

// A client floods a handler that does not read: the server's window holds
// the client back after streamWindowBytes, instead of growing to megabytes.
func TestStep4_FloodedServerHoldsClientBack(t *testing.T) {
	noLeaks(t)
	g := &stalledBidi{release: make(chan struct{})}
	defer close(g.release)
	client, _ := greeterServer(t, g, flowOptions()...)
	ctx, cancel := context.WithCancel(callContext(t))
	defer cancel()
	stream := openBidi(t, client, ctx)
	var sent atomic.Int64
	req := &helloworld.HelloRequest{Name: "a name of thirty bytes, or so."}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for stream.Send(req) == nil {
			sent.Add(1)
		}
	}()
	n := settle(sent.Load)
	if ahead := n * wireSize(req); ahead > floodBound {
		t.Errorf("a client sent %d bytes to a handler that reads nothing, before Send waited; want at most %d: give the server grpc.InitialWindowSize(streamWindowBytes) in flowOptions, which also keeps the window from growing", ahead, floodBound)
	}
	t.Logf("the client got %d bytes ahead of the handler, then Send waited", n*wireSize(req))
	cancel()
	<-done
}

// One connection opens more streams than the server allows at once: the
// extra ones wait until others end.
func TestStep4_MaxConcurrentStreams(t *testing.T) {
	noLeaks(t)
	g := &stalledBidi{release: make(chan struct{})}
	client, _ := greeterServer(t, g, flowOptions()...)
	ctx, cancel := context.WithCancel(callContext(t))
	defer cancel()
	for range maxStreams + 5 {
		go func() {
			if stream, err := client.SayHelloBidiStream(ctx); err == nil {
				stream.Recv()
			}
		}()
	}
	entered := settle(g.entered.Load)
	if entered != maxStreams {
		t.Errorf("%d streams opened on one connection, %d reached the handler at once; want %d: give the server grpc.MaxConcurrentStreams(maxStreams) in flowOptions", maxStreams+5, entered, maxStreams)
	}
	close(g.release)
	if all := settle(g.entered.Load); all != maxStreams+5 {
		t.Errorf("after the first streams ended, %d of %d reached the handler; want all", all, maxStreams+5)
	}
	cancel()
}
