package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// okGreeter answers every name, so the interceptor tests do not depend on
// steps 1 and 2.
type okGreeter struct {
	helloworld.UnimplementedGreeterServer
}

func (okGreeter) SayHello(_ context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	if req.GetName() == "" {
		return nil, status.Error(codes.InvalidArgument, "name is empty")
	}
	return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}

// handlerTime is how long timedGreeter takes to answer.
const handlerTime = 20 * time.Millisecond

// timedGreeter is okGreeter taking handlerTime to answer; it notes how many
// log lines there were when each call reached it.
type timedGreeter struct {
	okGreeter
	logs         *testkit.SyncBuffer
	linesAtStart chan int
}

func (g timedGreeter) SayHello(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	g.linesAtStart <- strings.Count(g.logs.String(), "\n")
	time.Sleep(handlerTime)
	return g.okGreeter.SayHello(ctx, req)
}

func TestStep3_LogCalls(t *testing.T) {
	var logs testkit.SyncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	srv := grpc.NewServer(grpc.UnaryInterceptor(logCalls(logger)))
	linesAtStart := make(chan int, 2)
	helloworld.RegisterGreeterServer(srv, timedGreeter{logs: &logs, linesAtStart: linesAtStart})
	client := helloworld.NewGreeterClient(serveInMemory(t, srv))

	reply, err := client.SayHello(callContext(t), &helloworld.HelloRequest{Name: "you"})
	testkit.StopIfNotImplemented(t, err, "interceptors.go")
	if err != nil || reply.GetMessage() != "Hello, you!" {
		t.Fatalf("through logCalls, SayHello returned (%q, %v); want (\"Hello, you!\", nil): return what handler(ctx, req) returns", reply.GetMessage(), err)
	}
	_, err = client.SayHello(callContext(t), &helloworld.HelloRequest{Name: ""})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("through logCalls, SayHello with an empty name returned %v; want code InvalidArgument: return the handler's error unchanged", err)
	}

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("after 2 calls the log has %d lines; want one line per call:\n%s", len(lines), logs.String())
	}
	for i, wantCode := range []string{"OK", "InvalidArgument"} {
		var entry map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &entry); err != nil {
			t.Fatalf("log line %d is not one slog record: %v\n%s", i+1, err, lines[i])
		}
		if got := entry["method"]; got != helloworld.Greeter_SayHello_FullMethodName {
			t.Errorf("log line %d: method = %v; want %q (info.FullMethod)\n%s", i+1, got, helloworld.Greeter_SayHello_FullMethodName, lines[i])
		}
		if got := entry["code"]; got != wantCode {
			t.Errorf("log line %d: code = %v; want %q (status.Code(err).String())\n%s", i+1, got, wantCode, lines[i])
		}
		// slog's JSON handler writes a time.Duration as nanoseconds.
		d, ok := entry["duration"].(float64)
		if !ok || time.Duration(d) < handlerTime || time.Duration(d) > callTimeout {
			t.Errorf("log line %d: duration = %v; want how long the call took, at least the %v the handler took: note start before handler(ctx, req), take time.Since(start) after it returns (slog.Duration(\"duration\", ...))\n%s", i+1, entry["duration"], handlerTime, lines[i])
		}
	}
	for i := range 2 {
		if n := <-linesAtStart; n != i {
			t.Errorf("call %d reached the handler when the log already had %d lines, its own among them: log after handler(ctx, req) returns, when its code and duration are known", i+1, n)
		}
	}
}

func TestStep3_EchoRequestID(t *testing.T) {
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(recoverPanics, echoRequestID))
	helloworld.RegisterGreeterServer(srv, okGreeter{})
	client := helloworld.NewGreeterClient(serveInMemory(t, srv))

	var header metadata.MD
	ctx := metadata.AppendToOutgoingContext(callContext(t), "x-request-id", "req-42")
	reply, err := client.SayHello(ctx, &helloworld.HelloRequest{Name: "you"}, grpc.Header(&header))
	testkit.StopIfNotImplemented(t, err, "interceptors.go")
	if err != nil || reply.GetMessage() != "Hello, you!" {
		t.Fatalf("through echoRequestID, SayHello returned (%q, %v); want (\"Hello, you!\", nil): call handler(ctx, req) and return what it returns", reply.GetMessage(), err)
	}
	if got := header.Get("x-request-id"); len(got) != 1 || got[0] != "req-42" {
		t.Errorf("response header x-request-id = %q; want [\"req-42\"], the value the client sent: read it with metadata.FromIncomingContext, send it with grpc.SetHeader", got)
	}

	header = nil
	_, err = client.SayHello(callContext(t), &helloworld.HelloRequest{Name: "you"}, grpc.Header(&header))
	if err != nil {
		t.Fatalf("without x-request-id, SayHello returned %v; want a reply: the request id is optional (md.Get gives an empty slice then: check its length before taking [0])", err)
	}
	if got := header.Get("x-request-id"); len(got) != 0 {
		t.Errorf("the client sent no x-request-id, yet the response header has %q; send the header only when the client sent one", got)
	}
}

// recoverPanics turns a panic in the interceptor it wraps into an Internal
// error that the test reports, instead of a crash of the whole test run.
func recoverPanics(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = status.Errorf(codes.Internal, "panic: %v", p)
		}
	}()
	return handler(ctx, req)
}
