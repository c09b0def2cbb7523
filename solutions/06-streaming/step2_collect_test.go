package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// scriptedStream is a server whose SayHelloStreamReply sends the messages
// in replies, then either blocks until the client goes away (hold) or ends
// with end (nil: status OK). It does not depend on your Greeter.
type scriptedStream struct {
	helloworld.UnimplementedGreeterServer
	replies []string
	end     error
	hold    bool
}

func (s *scriptedStream) SayHelloStreamReply(_ *helloworld.HelloRequest, stream grpc.ServerStreamingServer[helloworld.HelloReply]) error {
	for _, m := range s.replies {
		if err := stream.Send(&helloworld.HelloReply{Message: m}); err != nil {
			return err
		}
	}
	if s.hold {
		<-stream.Context().Done()
		return status.FromContextError(stream.Context().Err()).Err()
	}
	return s.end
}

func numbered(n int) []string {
	var m []string
	for i := range n {
		m = append(m, fmt.Sprint("reply ", i))
	}
	return m
}

func callCollect(t *testing.T, ctx context.Context, client helloworld.GreeterClient, max int) ([]string, error) {
	t.Helper()
	got, err := collect(ctx, client, "Ada", max)
	testkit.StopIfNotImplemented(t, err, "client.go")
	return got, err
}

func TestStep2_CollectReadsToTheEnd(t *testing.T) {
	for _, n := range []int{0, 1, 5, 300} {
		client, _ := greeterServer(t, &scriptedStream{replies: numbered(n)})
		got, err := callCollect(t, callContext(t), client, 0)
		if err != nil {
			t.Fatalf("a stream of %d replies, then status OK: collect returned error %v; want nil: io.EOF from Recv is the clean end of the stream", n, err)
		}
		if diff := cmp.Diff(numbered(n), got, cmpEmpty); diff != "" {
			t.Fatalf("a stream of %d replies: collect returned the wrong messages (-want +got):\n%s", n, diff)
		}
	}
}

// cmpEmpty lets a nil slice equal an empty one.
var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return cmp.Equal(append([]string{}, a...), append([]string{}, b...)) })

func TestStep2_CollectMidStreamError(t *testing.T) {
	end := status.Error(codes.ResourceExhausted, "out of greetings")
	client, _ := greeterServer(t, &scriptedStream{replies: numbered(2), end: end})
	got, err := callCollect(t, callContext(t), client, 0)
	if status.Code(err) != codes.ResourceExhausted || status.Convert(err).Message() != "out of greetings" {
		t.Errorf("a stream that ends with ResourceExhausted after 2 replies: collect returned error %v; want the stream's status error as Recv returns it (code ResourceExhausted): only io.EOF is a clean end", err)
	}
	if diff := cmp.Diff(numbered(2), got, cmpEmpty); diff != "" {
		t.Errorf("a stream that breaks off after 2 replies: collect returned the wrong messages (-want +got):\n%s\nReturn the messages read before the error too.", diff)
	}
}

func TestStep2_CollectStopsAtMaxAndCancels(t *testing.T) {
	noLeaks(t)
	client, ends := greeterServer(t, &scriptedStream{replies: numbered(10), hold: true})
	got, err := callCollect(t, callContext(t), client, 3)
	if err != nil {
		t.Fatalf("collect(max 3) on a stream of 10 replies returned error %v; want nil: having enough is a clean end", err)
	}
	if diff := cmp.Diff(numbered(3), got, cmpEmpty); diff != "" {
		t.Errorf("collect(max 3) returned the wrong messages (-want +got):\n%s", diff)
	}
	err = handlerEnd(t, ends, time.Second, "collect returned with max replies")
	if status.Code(err) != codes.Canceled {
		t.Errorf("the server saw its stream end with %v; want code Canceled: cancel the stream's context before collect returns (context.WithCancel, defer cancel())", err)
	}
}

func TestStep2_CollectDeadline(t *testing.T) {
	noLeaks(t)
	client, _ := greeterServer(t, &scriptedStream{replies: numbered(1), hold: true})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	got, err := callCollect(t, ctx, client, 0)
	if status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("a stream that stalls after 1 reply, with a deadline of 300ms: collect returned error %v; want code DeadlineExceeded (pass ctx to the call)", err)
	}
	if len(got) != 1 {
		t.Errorf("a stream that stalls after 1 reply: collect returned %d messages; want the 1 it read", len(got))
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("collect returned %v after a deadline of 300ms; want it to return at the deadline", d)
	}
}

func TestStep2_CollectUnreachableServer(t *testing.T) {
	client, _ := greeterServer(t, &helloworld.UnimplementedGreeterServer{})
	_, err := callCollect(t, callContext(t), client, 0)
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("a server without SayHelloStreamReply: collect returned %v; want its code Unimplemented, as the call or the first Recv returns it", err)
	}
}
