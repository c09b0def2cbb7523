package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
)

// logRecords parses the JSON lines a slog.JSONHandler wrote.
func logRecords(t *testing.T, out string) []map[string]any {
	t.Helper()
	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("a log line is not JSON: %q", line)
		}
		records = append(records, r)
	}
	return records
}

// streamLogs waits (up to callTimeout) for n records with the message
// "stream" and returns them: the interceptor logs after the handler
// returned, which may be a moment after the client saw the end.
func streamLogs(t *testing.T, buf *testkit.SyncBuffer, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(callTimeout)
	for {
		var streams []map[string]any
		for _, r := range logRecords(t, buf.String()) {
			if r["msg"] == "stream" {
				streams = append(streams, r)
			}
		}
		if len(streams) >= n || time.Now().After(deadline) {
			return streams
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// logged is the part of a "stream" record a test compares.
type logged struct {
	Method         string
	Code           string
	Sent, Received float64
}

func TestStep5_LogStreams(t *testing.T) {
	var buf testkit.SyncBuffer
	interceptor := logStreams(slog.New(slog.NewJSONHandler(&buf, nil)))
	if interceptor == nil {
		t.Fatal("logStreams returned nil: return a grpc.StreamServerInterceptor, a func(srv, ss, info, handler) error")
	}
	srv := grpc.NewServer(grpc.StreamInterceptor(interceptor))
	helloworld.RegisterGreeterServer(srv, &echoStreams{})
	client := helloworld.NewGreeterClient(serveInMemory(t, srv))

	err := notImplementedStream(client.SayHelloStreamReply(callContext(t), &helloworld.HelloRequest{Name: "Ada"}))
	testkit.StopIfNotImplemented(t, err, "interceptors.go")
	if err != nil {
		t.Fatalf("a stream through logStreams: %v; the interceptor should call handler(srv, ss) and return its error", err)
	}
	if _, err := chatBy(t, client, []string{"Ada", "Grace"}); err != nil {
		t.Fatalf("a bidirectional stream through logStreams: %v", err)
	}
	_, err = chatBy(t, client, []string{"Ada", ""})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("a stream whose handler returns InvalidArgument ended with %v through logStreams; return the handler's error as it is", err)
	}

	records := streamLogs(t, &buf, 3)
	var got []logged
	for _, r := range records {
		for _, key := range []string{"method", "code", "duration", "sent", "received"} {
			if _, ok := r[key]; !ok {
				t.Fatalf("the log record %v has no %q attribute; want method, code, duration, sent and received", r, key)
			}
		}
		sent, _ := r["sent"].(float64)
		received, _ := r["received"].(float64)
		got = append(got, logged{Method: r["method"].(string), Code: r["code"].(string), Sent: sent, Received: received})
	}
	want := []logged{
		{helloworld.Greeter_SayHelloStreamReply_FullMethodName, "OK", 3, 1},
		{helloworld.Greeter_SayHelloBidiStream_FullMethodName, "OK", 2, 2},
		{helloworld.Greeter_SayHelloBidiStream_FullMethodName, "InvalidArgument", 1, 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("logStreams logged the wrong records (-want +got):\n%s\nLog one record \"stream\" per call after the handler returns; count only the messages SendMsg and RecvMsg passed (a nil error).", diff)
	}
}

func notImplementedStream(stream grpc.ServerStreamingClient[helloworld.HelloReply], err error) error {
	if err != nil {
		return err
	}
	_, err = readAll(stream)
	return err
}

// echoStreams is a Greeter of the test's own: three replies on a server
// stream, an answer per name on a bidirectional one (InvalidArgument for
// an empty name).
type echoStreams struct {
	helloworld.UnimplementedGreeterServer
}

func (echoStreams) SayHelloStreamReply(req *helloworld.HelloRequest, stream grpc.ServerStreamingServer[helloworld.HelloReply]) error {
	for range 3 {
		if err := stream.Send(&helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}); err != nil {
			return err
		}
	}
	return nil
}

func (echoStreams) SayHelloBidiStream(stream grpc.BidiStreamingServer[helloworld.HelloRequest, helloworld.HelloReply]) error {
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if req.GetName() == "" {
			return status.Error(codes.InvalidArgument, "name is empty")
		}
		if err := stream.Send(&helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}); err != nil {
			return err
		}
	}
}

// newTestServer calls newServer, stopping the test with one clear line when
// it is not written yet.
func newTestServer(t *testing.T, logger *slog.Logger, g *Greeter, d *drain) *grpc.Server {
	t.Helper()
	srv, err := newServer(logger, g, d)
	testkit.StopIfNotImplemented(t, err, "server.go")
	if err != nil {
		t.Fatalf("newServer returned error %v; want a server", err)
	}
	if srv == nil {
		t.Fatal("newServer returned a nil server and no error; return the *grpc.Server you built")
	}
	return srv
}

func TestStep5_NewServer(t *testing.T) {
	var buf testkit.SyncBuffer
	srv := newTestServer(t, slog.New(slog.NewJSONHandler(&buf, nil)), &Greeter{Replies: 2}, newDrain())
	conn := serveInMemory(t, srv)
	client := helloworld.NewGreeterClient(conn)

	if reply, err := client.SayHello(callContext(t), &helloworld.HelloRequest{Name: "Ada"}); err != nil || reply.GetMessage() != "Hello, Ada!" {
		t.Fatalf("SayHello(Ada) on newServer's server: (%q, %v); want \"Hello, Ada!\": register g with helloworld.RegisterGreeterServer", reply.GetMessage(), err)
	}
	err := notImplementedStream(client.SayHelloStreamReply(callContext(t), &helloworld.HelloRequest{Name: "Ada"}))
	testkit.StopIfNotImplemented(t, err, "greeter.go")
	if err != nil {
		t.Fatalf("SayHelloStreamReply on newServer's server: %v", err)
	}

	for _, service := range []string{"", helloworld.Greeter_ServiceDesc.ServiceName} {
		resp, err := healthpb.NewHealthClient(conn).Check(callContext(t), &healthpb.HealthCheckRequest{Service: service})
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("Health/Check(%q) = %v, %v; want SERVING: register d.health and set the status of %q", service, resp.GetStatus(), err, service)
		}
	}

	refl, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(callContext(t))
	if err == nil {
		err = refl.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}})
	}
	var resp *reflectionpb.ServerReflectionResponse
	if err == nil {
		resp, err = refl.Recv()
	}
	if err != nil {
		t.Fatalf("asking the reflection service for the services: %v; call reflection.Register(srv)", err)
	}
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	if !slices.Contains(names, "helloworld.Greeter") || !slices.Contains(names, "grpc.health.v1.Health") {
		t.Errorf("reflection lists %q; want helloworld.Greeter and grpc.health.v1.Health among them", names)
	}

	var calls, streams int
	time.Sleep(50 * time.Millisecond) // the stream's record comes as its handler returns
	for _, r := range logRecords(t, buf.String()) {
		switch {
		case r["msg"] == "call" && r["method"] == helloworld.Greeter_SayHello_FullMethodName:
			calls++
		case r["msg"] == "stream" && r["method"] == helloworld.Greeter_SayHelloStreamReply_FullMethodName:
			streams++
		}
	}
	if calls != 1 || streams != 1 {
		t.Errorf("after one SayHello and one SayHelloStreamReply, the log has %d \"call\" and %d \"stream\" records for them; want 1 each: chain logCalls as the unary interceptor and logStreams as the stream interceptor\nThe log:\n%s", calls, streams, buf.String())
	}
}

// The limits of flowOptions hold on newServer's server: of more streams
// than maxStreams on one connection, maxStreams run at once.
func TestStep5_NewServerUsesFlowOptions(t *testing.T) {
	noLeaks(t)
	srv := newTestServer(t, slog.New(slog.DiscardHandler), &Greeter{Replies: 2, Interval: time.Hour}, newDrain())
	client := helloworld.NewGreeterClient(serveInMemory(t, srv))
	ctx, cancel := context.WithCancel(callContext(t))
	defer cancel()
	var started atomic.Int64
	var wg sync.WaitGroup
	for range maxStreams + 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream, err := client.SayHelloStreamReply(ctx, &helloworld.HelloRequest{Name: "Ada"})
			if err != nil {
				return
			}
			if _, err := stream.Recv(); err == nil {
				started.Add(1)
			}
			stream.Recv() // waits an hour, or for the cancel
		}()
	}
	if n := settle(started.Load); n != maxStreams {
		t.Errorf("of %d streams on one connection, %d ran at once on newServer's server; want %d: pass flowOptions() to grpc.NewServer", maxStreams+5, n, maxStreams)
	}
	cancel()
	wg.Wait()
}
