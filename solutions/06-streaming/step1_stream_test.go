package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// readAll reads a server stream to its end, and returns the messages and
// the error that ended it (nil for a clean end).
func readAll(stream grpc.ServerStreamingClient[helloworld.HelloReply]) ([]string, error) {
	var messages []string
	for {
		reply, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return messages, nil
		}
		if err != nil {
			return messages, err
		}
		messages = append(messages, reply.GetMessage())
	}
}

func streamReply(t *testing.T, client helloworld.GreeterClient, ctx context.Context, name string) ([]string, error) {
	t.Helper()
	stream, err := client.SayHelloStreamReply(ctx, &helloworld.HelloRequest{Name: name})
	if err != nil {
		t.Fatalf("opening the stream: %v", err)
	}
	messages, err := readAll(stream)
	testkit.StopIfNotImplemented(t, err, "greeter.go")
	return messages, err
}

func TestStep1_StreamReply(t *testing.T) {
	client, _ := greeterServer(t, &Greeter{})
	got, err := streamReply(t, client, callContext(t), "Ada")
	if err != nil {
		t.Fatalf("SayHelloStreamReply(Ada) ended with %v after %d replies; want a clean end (status OK) after the last greeting", err, len(got))
	}
	want := []string{"Hello, Ada!", "Bonjour, Ada!", "Hola, Ada!", "Hallo, Ada!", "Ciao, Ada!", "Olá, Ada!", "Привет, Ada!", "你好, Ada!"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SayHelloStreamReply(Ada) sent the wrong replies (-want +got):\n%s\nSend one reply per greeting in greetings, in order: greeting + \", \" + name + \"!\".", diff)
	}
}

func TestStep1_StreamReplyCount(t *testing.T) {
	for _, replies := range []int{1, 3, 20} {
		client, _ := greeterServer(t, &Greeter{Replies: replies})
		got, err := streamReply(t, client, callContext(t), "Bo")
		if err != nil {
			t.Fatalf("Greeter{Replies: %d}: the stream ended with %v; want a clean end", replies, err)
		}
		if len(got) != replies {
			t.Fatalf("Greeter{Replies: %d} sent %d replies; want %d: g.Replies says how many (0 means one per greeting)", replies, len(got), replies)
		}
		for i, msg := range got {
			if want := greetings[i%len(greetings)] + ", Bo!"; msg != want {
				t.Fatalf("Greeter{Replies: %d}: reply %d is %q; want %q: after the last greeting, start again from the first", replies, i, msg, want)
			}
		}
	}
}

func TestStep1_StreamReplyBadName(t *testing.T) {
	client, _ := greeterServer(t, &Greeter{})
	for _, name := range []string{"", strings.Repeat("x", maxNameBytes+1)} {
		got, err := streamReply(t, client, callContext(t), name)
		if status.Code(err) != codes.InvalidArgument {
			t.Errorf("SayHelloStreamReply(%.20q...) ended with %v; want code InvalidArgument: call checkName before the first Send and return its error", name, err)
		}
		if len(got) > 0 {
			t.Errorf("SayHelloStreamReply(%.20q...) sent %d replies before its error; want none", name, len(got))
		}
	}
}

// A client that goes away between two replies: the handler is waiting out
// g.Interval, and must notice the cancel at once.
func TestStep1_StreamReplyStopsWhenClientCancels(t *testing.T) {
	noLeaks(t)
	client, ends := greeterServer(t, &Greeter{Replies: 3, Interval: time.Hour})
	ctx, cancel := context.WithCancel(callContext(t))
	stream, err := client.SayHelloStreamReply(ctx, &helloworld.HelloRequest{Name: "Ada"})
	if err != nil {
		t.Fatalf("opening the stream: %v", err)
	}
	_, err = stream.Recv()
	testkit.StopIfNotImplemented(t, err, "greeter.go")
	if err != nil {
		t.Fatalf("the first reply: %v", err)
	}
	cancel()
	err = handlerEnd(t, ends, time.Second, "its client cancelled the stream")
	if status.Code(err) != codes.Canceled {
		t.Errorf("after the client cancelled, the handler returned %v; want code Canceled: return ctxStatus(ctx) when the stream's context is done", err)
	}
}

func TestStep1_StreamReplyDeadline(t *testing.T) {
	noLeaks(t)
	client, ends := greeterServer(t, &Greeter{Replies: 3, Interval: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	got, err := streamReply(t, client, ctx, "Ada")
	if status.Code(err) != codes.DeadlineExceeded || len(got) != 1 {
		t.Errorf("with a deadline of 300ms and an hour between replies, the client got %d replies and %v; want 1 reply, then code DeadlineExceeded", len(got), err)
	}
	// The server's context ends at the deadline, or a moment earlier when the
	// client's cancel arrives first.
	err = handlerEnd(t, ends, time.Second, "the call's deadline passed")
	if code := status.Code(err); code != codes.DeadlineExceeded && code != codes.Canceled {
		t.Errorf("after the deadline, the handler returned %v; want code DeadlineExceeded (or Canceled): while it waits between replies, wait for the stream's context too", err)
	}
}
