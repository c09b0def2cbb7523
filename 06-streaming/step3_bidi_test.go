package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/status"
)

// The server side: your Greeter's SayHelloBidiStream.

func openBidi(t *testing.T, client helloworld.GreeterClient, ctx context.Context) grpc.BidiStreamingClient[helloworld.HelloRequest, helloworld.HelloReply] {
	t.Helper()
	stream, err := client.SayHelloBidiStream(ctx)
	if err != nil {
		t.Fatalf("opening the stream: %v", err)
	}
	return stream
}

func TestStep3_BidiAnswersEachNameAsItArrives(t *testing.T) {
	client, _ := greeterServer(t, &Greeter{})
	stream := openBidi(t, client, callContext(t))
	// One name at a time: each reply must come before the next name is sent.
	for _, name := range []string{"Ada", "Grace", "Linus"} {
		if err := stream.Send(&helloworld.HelloRequest{Name: name}); err != nil {
			t.Fatalf("sending %q: %v", name, err)
		}
		reply, err := stream.Recv()
		testkit.StopIfNotImplemented(t, err, "greeter.go")
		if err != nil {
			t.Fatalf("after the name %q the stream ended with %v; want a reply: answer each request as it arrives, then wait for the next", name, err)
		}
		if want := "Hello, " + name + "!"; reply.GetMessage() != want {
			t.Errorf("the reply to %q is %q; want %q", name, reply.GetMessage(), want)
		}
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); !errors.Is(err, io.EOF) {
		t.Errorf("after the client half-closed, Recv returned %v; want io.EOF, a clean end: when Recv returns io.EOF, return nil", err)
	}
}

func TestStep3_BidiBadName(t *testing.T) {
	client, _ := greeterServer(t, &Greeter{})
	stream := openBidi(t, client, callContext(t))
	stream.Send(&helloworld.HelloRequest{Name: "Ada"})
	stream.Send(&helloworld.HelloRequest{Name: ""})
	reply, err := stream.Recv()
	testkit.StopIfNotImplemented(t, err, "greeter.go")
	if err != nil || reply.GetMessage() != "Hello, Ada!" {
		t.Fatalf("the first reply is (%q, %v); want \"Hello, Ada!\"", reply.GetMessage(), err)
	}
	_, err = stream.Recv()
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("after an empty name the stream ended with %v; want code InvalidArgument from checkName", err)
	}
}

// A client that goes away in the middle of a stream, by cancelling or by
// closing its connection: the handler ends, and no goroutine stays behind.
func TestStep3_BidiClientGoesAway(t *testing.T) {
	noLeaks(t)
	for _, how := range []string{"cancels", "closes its connection"} {
		conn, ends := greeterConn(t, &Greeter{})
		ctx, cancel := context.WithCancel(callContext(t))
		defer cancel()
		stream := openBidi(t, helloworld.NewGreeterClient(conn), ctx)
		stream.Send(&helloworld.HelloRequest{Name: "Ada"})
		_, err := stream.Recv()
		testkit.StopIfNotImplemented(t, err, "greeter.go")
		if err != nil {
			t.Fatalf("the first reply: %v", err)
		}
		if how == "cancels" {
			cancel()
		} else {
			conn.Close()
		}
		err = handlerEnd(t, ends, time.Second, "the client "+how)
		if err == nil {
			t.Errorf("when the client %s, the handler returned nil; want the error that ended the stream", how)
		}
	}
}

// rawCodec sends bytes as they are, so a test can send what no generated
// code would: bytes that are not a HelloRequest.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error)      { return v.([]byte), nil }
func (rawCodec) Unmarshal(data []byte, v any) error { *(v.(*[]byte)) = data; return nil }
func (rawCodec) Name() string                       { return "proto" }

var _ encoding.Codec = rawCodec{}

// A message that is not a HelloRequest in the middle of a stream: the
// stream ends with an error status, and the server serves the next call.
func TestStep3_BidiSurvivesGarbage(t *testing.T) {
	noLeaks(t)
	conn, ends := greeterConn(t, &Greeter{})
	desc := &grpc.StreamDesc{ClientStreams: true, ServerStreams: true}
	stream, err := conn.NewStream(callContext(t), desc, helloworld.Greeter_SayHelloBidiStream_FullMethodName, grpc.ForceCodec(rawCodec{}))
	if err != nil {
		t.Fatal(err)
	}
	stream.SendMsg([]byte{0x0a, 0x03, 'A', 'd', 'a'}) // a good HelloRequest
	var reply []byte
	err = stream.RecvMsg(&reply)
	testkit.StopIfNotImplemented(t, err, "greeter.go")
	if err != nil {
		t.Fatalf("the reply to a good request: %v", err)
	}
	stream.SendMsg([]byte{0x0a, 0x50, 'A'}) // field 1 says 80 bytes, 1 follows
	err = stream.RecvMsg(&reply)
	if code := status.Code(err); code == codes.OK || code == codes.Unknown {
		t.Errorf("after a message that is not a HelloRequest, the stream ended with %v; want the error status Recv gave the handler (code Internal): return Recv's error as it is", err)
	}
	handlerEnd(t, ends, time.Second, "a message that is not a HelloRequest")
	got, err := chatBy(t, helloworld.NewGreeterClient(conn), []string{"after garbage"})
	if err != nil || len(got) != 1 {
		t.Errorf("after a stream with garbage, the next stream got %q, %v; want one reply", got, err)
	}
}

// chatBy sends names one by one, reading each reply, with the generated
// client only (not your chat).
func chatBy(t *testing.T, client helloworld.GreeterClient, names []string) ([]string, error) {
	t.Helper()
	stream, err := client.SayHelloBidiStream(callContext(t))
	if err != nil {
		return nil, err
	}
	var got []string
	for _, name := range names {
		if err := stream.Send(&helloworld.HelloRequest{Name: name}); err != nil {
			break
		}
		reply, err := stream.Recv()
		if err != nil {
			return got, err
		}
		got = append(got, reply.GetMessage())
	}
	stream.CloseSend()
	_, err = stream.Recv()
	if !errors.Is(err, io.EOF) {
		return got, err
	}
	return got, nil
}

// A stream of 100,000 requests (10,000 under -race), sent while the
// replies are read: every one is answered, and the server keeps serving
// another client meanwhile.
func TestStep3_BidiHundredThousandRequests(t *testing.T) {
	noLeaks(t)
	n := 100_000
	if raceEnabled {
		n = 10_000
	}
	client, _ := greeterServer(t, &Greeter{})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	stream := openBidi(t, client, ctx)
	sent := make(chan error, 1)
	go func() {
		req := &helloworld.HelloRequest{Name: "n"}
		for range n {
			if err := stream.Send(req); err != nil {
				sent <- err
				return
			}
		}
		sent <- stream.CloseSend()
	}()
	got := 0
	for {
		reply, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		testkit.StopIfNotImplemented(t, err, "greeter.go")
		if err != nil {
			t.Fatalf("after %d of %d replies the stream ended with %v", got, n, err)
		}
		if reply.GetMessage() != "Hello, n!" {
			t.Fatalf("reply %d is %q; want \"Hello, n!\"", got, reply.GetMessage())
		}
		got++
		if got == n/2 {
			// Halfway, another client is served as usual.
			if other, err := chatBy(t, client, []string{"other"}); err != nil || len(other) != 1 {
				t.Fatalf("while a long stream runs, another stream got %q, %v; want one reply", other, err)
			}
		}
	}
	<-sent
	if got != n {
		t.Errorf("%d requests got %d replies; want one each", n, got)
	}
}

// The client side: your chat, against a test server that does not use your
// Greeter.

// echoBidi answers each name with "Hello, <name>!"; after the client
// half-closes it sends "that was <n> names". With failAfter > 0, it ends
// the stream with codes.Unavailable after that many replies.
type echoBidi struct {
	helloworld.UnimplementedGreeterServer
	failAfter int
}

func (e *echoBidi) SayHelloBidiStream(stream grpc.BidiStreamingServer[helloworld.HelloRequest, helloworld.HelloReply]) error {
	n := 0
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return stream.Send(&helloworld.HelloReply{Message: fmt.Sprintf("that was %d names", n)})
		}
		if err != nil {
			return err
		}
		if e.failAfter > 0 && n == e.failAfter {
			return status.Error(codes.Unavailable, "going away")
		}
		n++
		if err := stream.Send(&helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}); err != nil {
			return err
		}
	}
}

func callChat(t *testing.T, ctx context.Context, client helloworld.GreeterClient, names []string) ([]string, error) {
	t.Helper()
	got, err := chat(ctx, client, names)
	testkit.StopIfNotImplemented(t, err, "client.go")
	return got, err
}

func TestStep3_Chat(t *testing.T) {
	noLeaks(t)
	client, _ := greeterServer(t, &echoBidi{})
	got, err := callChat(t, callContext(t), client, []string{"Ada", "Grace"})
	if err != nil {
		t.Fatalf("chat returned error %v; want nil", err)
	}
	want := []string{"Hello, Ada!", "Hello, Grace!", "that was 2 names"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("chat returned the wrong messages (-want +got):\n%s\nThe last one comes after CloseSend: read until io.EOF.", diff)
	}
}

func TestStep3_ChatHalfCloses(t *testing.T) {
	noLeaks(t)
	client, _ := greeterServer(t, &echoBidi{})
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	got, err := callChat(t, ctx, client, []string{"Ada"})
	if status.Code(err) == codes.DeadlineExceeded {
		t.Fatalf("chat waited until its deadline, with %q; the server sends its last reply after the client half-closes: call stream.CloseSend() after the last name", got)
	}
	if err != nil || len(got) != 2 {
		t.Errorf("chat returned %q, %v; want 2 messages and nil", got, err)
	}
}

// So many names that the replies fill the HTTP/2 windows: a client that
// sends every name before it reads a reply blocks for ever.
func TestStep3_ChatSendsAndReceivesAtOnce(t *testing.T) {
	noLeaks(t)
	client, _ := greeterServer(t, &echoBidi{})
	names := make([]string, 5000)
	for i := range names {
		names[i] = fmt.Sprintf("%-90d", i)
	}
	got, err := callChat(t, callContext(t), client, names)
	if status.Code(err) == codes.DeadlineExceeded {
		t.Fatalf("chat with %d long names ran into its deadline after %d replies: send in one goroutine while you receive in another, or the full windows block both sides", len(names), len(got))
	}
	if err != nil || len(got) != len(names)+1 {
		t.Errorf("chat with %d names returned %d messages and %v; want %d and nil", len(names), len(got), err, len(names)+1)
	}
}

func TestStep3_ChatServerGoesAway(t *testing.T) {
	noLeaks(t)
	client, _ := greeterServer(t, &echoBidi{failAfter: 2})
	names := strings.Split("a b c d e f g h", " ")
	got, err := callChat(t, callContext(t), client, names)
	if status.Code(err) != codes.Unavailable {
		t.Errorf("a server that ends the stream with Unavailable after 2 replies: chat returned %v; want that status error", err)
	}
	if diff := cmp.Diff([]string{"Hello, a!", "Hello, b!"}, got); diff != "" {
		t.Errorf("chat returned the wrong messages (-want +got):\n%s\nReturn the messages received before the error.", diff)
	}
}
