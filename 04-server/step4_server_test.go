package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
)

// newTestServer calls newServer, stopping the test with one clear line when
// step 4 is not done yet.
func newTestServer(t *testing.T, logger *slog.Logger) *grpc.Server {
	t.Helper()
	var srv *grpc.Server
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("newServer panicked: %v\n"+
					"Two grpc.UnaryInterceptor options? Pass both interceptors to one grpc.ChainUnaryInterceptor. A service registered twice? Register each once.", p)
			}
		}()
		srv, err = newServer(logger, newDrain())
	}()
	testkit.StopIfNotImplemented(t, err, "server.go")
	if err != nil {
		t.Fatalf("newServer returned error %v; want a server", err)
	}
	if srv == nil {
		t.Fatal("newServer returned a nil server and no error; return the *grpc.Server you built")
	}
	return srv
}

// stopIfEarlierStepMissing ends the test with one line when a call failed
// on an earlier step's "not implemented yet" (the interceptors of step 3 run
// on every call, health and reflection included).
func stopIfEarlierStepMissing(t *testing.T, err error) {
	t.Helper()
	if msg, _, ok := testkit.NotImplemented(err); ok {
		t.Fatalf("%s: the server from newServer calls it on every request; finish that step first", msg)
	}
}

// sayHello checks that a normal call still gets its greeting.
func sayHello(t *testing.T, conn *grpc.ClientConn, after string) {
	t.Helper()
	reply, err := helloworld.NewGreeterClient(conn).SayHello(callContext(t), &helloworld.HelloRequest{Name: "you"})
	stopIfEarlierStepMissing(t, err)
	if err != nil || reply.GetMessage() != "Hello, you!" {
		t.Fatalf("%s, SayHello(\"you\") returned (%q, %v); want \"Hello, you!\": the server must keep serving", after, reply.GetMessage(), err)
	}
}

func TestStep4_ServesGreeter(t *testing.T) {
	var logs testkit.SyncBuffer
	srv := newTestServer(t, slog.New(slog.NewTextHandler(&logs, nil)))
	conn := serveInMemory(t, srv)

	var header metadata.MD
	ctx := metadata.AppendToOutgoingContext(callContext(t), "x-request-id", "req-7")
	reply, err := helloworld.NewGreeterClient(conn).SayHello(ctx, &helloworld.HelloRequest{Name: "you"}, grpc.Header(&header))
	stopIfEarlierStepMissing(t, err)
	if err != nil || reply.GetMessage() != "Hello, you!" {
		t.Fatalf("SayHello(\"you\") returned (%q, %v); want \"Hello, you!\": register Greeter{} with helloworld.RegisterGreeterServer", reply.GetMessage(), err)
	}
	if !strings.Contains(logs.String(), helloworld.Greeter_SayHello_FullMethodName) {
		t.Errorf("after one call the log holds %q; want a line with method=%s: pass grpc.ChainUnaryInterceptor(logCalls(logger), echoRequestID) to grpc.NewServer",
			logs.String(), helloworld.Greeter_SayHello_FullMethodName)
	}
	if got := header.Get("x-request-id"); len(got) != 1 || got[0] != "req-7" {
		t.Errorf("response header x-request-id = %q; want [\"req-7\"]: chain echoRequestID too", got)
	}

	_, err = helloworld.NewGreeterClient(conn).SayHello(callContext(t), &helloworld.HelloRequest{Name: ""})
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("SayHello(\"\") returned %v; want code InvalidArgument: register Greeter{}, the one from steps 1 and 2", err)
	}
}

func TestStep4_HealthServing(t *testing.T) {
	conn := serveInMemory(t, newTestServer(t, slog.New(slog.DiscardHandler)))
	health := healthpb.NewHealthClient(conn)
	for _, service := range []string{"", "helloworld.Greeter"} {
		resp, err := health.Check(callContext(t), &healthpb.HealthCheckRequest{Service: service})
		stopIfEarlierStepMissing(t, err)
		if status.Code(err) == codes.NotFound {
			t.Fatalf("Health/Check(service %q) returned %v; want SERVING: the health server knows no service %q yet, call hs.SetServingStatus(%q, healthpb.HealthCheckResponse_SERVING)", service, err, service, service)
		}
		if err != nil {
			t.Fatalf("Health/Check(service %q) returned %v; want SERVING: register health.NewServer() with healthpb.RegisterHealthServer and set its status", service, err)
		}
		if got := resp.GetStatus(); got != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("Health/Check(service %q) = %v; want SERVING: call SetServingStatus(%q, healthpb.HealthCheckResponse_SERVING)", service, got, service)
		}
	}
}

func TestStep4_Reflection(t *testing.T) {
	conn := serveInMemory(t, newTestServer(t, slog.New(slog.DiscardHandler)))
	stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(callContext(t))
	if err != nil {
		t.Fatalf("opening the reflection stream: %v", err)
	}
	req := &reflectionpb.ServerReflectionRequest{
		MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{ListServices: "*"},
	}
	if err := stream.Send(req); err != nil {
		t.Fatalf("sending the reflection request: %v", err)
	}
	resp, err := stream.Recv()
	stopIfEarlierStepMissing(t, err)
	if status.Code(err) == codes.Unimplemented {
		t.Fatalf("the server has no reflection service (%v): call reflection.Register(srv)", err)
	}
	if err != nil {
		t.Fatalf("reading the reflection answer: %v", err)
	}
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	for _, want := range []string{"helloworld.Greeter", "grpc.health.v1.Health"} {
		if !slices.Contains(names, want) {
			t.Errorf("reflection lists the services %q; want %q among them (it is what grpcurl shows)", names, want)
		}
	}
}

func TestStep4_RefusesTooLargeRequest(t *testing.T) {
	conn := serveInMemory(t, newTestServer(t, slog.New(slog.DiscardHandler)))
	huge := strings.Repeat("x", maxRequestBytes+1)
	_, err := helloworld.NewGreeterClient(conn).SayHello(callContext(t), &helloworld.HelloRequest{Name: huge})
	if status.Code(err) != codes.ResourceExhausted {
		t.Errorf("a request of more than %d bytes got %v; want code ResourceExhausted: pass grpc.MaxRecvMsgSize(maxRequestBytes) to grpc.NewServer", maxRequestBytes, err)
	}
	sayHello(t, conn, "after a too-large request")
}

func TestStep4_SurvivesGarbage(t *testing.T) {
	addr := serveTCP(t, newTestServer(t, slog.New(slog.DiscardHandler)))

	raw, err := net.DialTimeout("tcp", addr, callTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer raw.Close()
	raw.SetDeadline(time.Now().Add(callTimeout))
	raw.Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\nthis is not HTTP/2 and not gRPC\x00\xff\xfe"))
	// The server reads the 24-byte HTTP/2 preface, sees garbage and hangs up.
	if _, err := io.Copy(io.Discard, raw); err != nil && isTimeout(err) {
		t.Fatalf("the server kept a connection open for %v after it sent garbage; it should close it", callTimeout)
	}

	sayHello(t, dialTCP(t, addr), "after a client sent garbage")
}

func TestStep4_SurvivesClientHangingUpMidCall(t *testing.T) {
	addr := serveTCP(t, newTestServer(t, slog.New(slog.DiscardHandler)))
	sayHello(t, dialTCP(t, addr), "before any bad input")

	raw, err := net.DialTimeout("tcp", addr, callTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer raw.Close()
	raw.SetDeadline(time.Now().Add(callTimeout))

	// gRPC by hand: the HTTP/2 preface, then on stream 1 a whole call
	// (headers, then one message and the end of the stream).
	conn := newHandConn(t, raw)
	conn.call(1, []byte{0, 0, 0, 0, 5, 0x0a, 0x03, 'y', 'o', 'u'}, true)
	if reply := conn.readReply(1); !strings.Contains(reply, "Hello, you!") {
		t.Fatalf("a call sent by hand got the reply bytes %q; want them to hold \"Hello, you!\"", reply)
	}

	// On stream 3, the same call cut short: the message announces 100 bytes,
	// 3 arrive, and the client hangs up while the server waits for the rest.
	conn.call(3, []byte{0, 0, 0, 0, 100, 0x0a, 98, 'y'}, false)
	raw.Close()

	sayHello(t, dialTCP(t, addr), "after a client hung up in the middle of a call")
}

// handConn writes gRPC calls by hand on one HTTP/2 connection, with the
// frame and header (HPACK) encoders of golang.org/x/net/http2.
type handConn struct {
	t      *testing.T
	framer *http2.Framer
	block  bytes.Buffer   // the HPACK header block being written
	hpack  *hpack.Encoder // one per connection, like the server's decoder
}

// newHandConn sends the client's preface and an empty SETTINGS frame.
func newHandConn(t *testing.T, raw net.Conn) *handConn {
	t.Helper()
	c := &handConn{t: t, framer: http2.NewFramer(raw, raw)}
	c.hpack = hpack.NewEncoder(&c.block)
	if _, err := io.WriteString(raw, http2.ClientPreface); err != nil {
		t.Fatalf("writing the HTTP/2 preface: %v", err)
	}
	c.check(c.framer.WriteSettings())
	return c
}

// call sends on stream the headers of a SayHello call, then one DATA frame
// holding message (a gRPC-framed HelloRequest); end says whether that frame
// ends the stream.
func (c *handConn) call(stream uint32, message []byte, end bool) {
	c.t.Helper()
	c.block.Reset()
	for _, f := range []hpack.HeaderField{
		{Name: ":method", Value: "POST"},
		{Name: ":scheme", Value: "http"},
		{Name: ":path", Value: helloworld.Greeter_SayHello_FullMethodName},
		{Name: ":authority", Value: "localhost"},
		{Name: "content-type", Value: "application/grpc"},
		{Name: "te", Value: "trailers"},
	} {
		c.check(c.hpack.WriteField(f))
	}
	c.check(c.framer.WriteHeaders(http2.HeadersFrameParam{StreamID: stream, BlockFragment: c.block.Bytes(), EndHeaders: true}))
	c.check(c.framer.WriteData(stream, end, message))
}

func (c *handConn) check(err error) {
	c.t.Helper()
	if err != nil {
		c.t.Fatalf("writing a call by hand: %v", err)
	}
}

// readReply reads frames until the end of stream, and returns the bytes of
// its DATA frames (the gRPC-framed HelloReply).
func (c *handConn) readReply(stream uint32) string {
	c.t.Helper()
	var data []byte
	for {
		f, err := c.framer.ReadFrame()
		if err != nil {
			c.t.Fatalf("reading the server's answer to a call sent by hand: %v", err)
		}
		if f.Header().StreamID != stream {
			continue // SETTINGS, PING, WINDOW_UPDATE: connection housekeeping
		}
		if d, ok := f.(*http2.DataFrame); ok {
			data = append(data, d.Data()...)
		}
		if f.Header().Flags.Has(http2.FlagDataEndStream) { // the same bit in HEADERS
			return string(data)
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// The Python client in testdata uses grpcio, with no code generated from
// helloworld.proto: it writes the HelloRequest bytes by hand.
func TestStep4_PythonClient(t *testing.T) {
	srv := newTestServer(t, slog.New(slog.DiscardHandler))
	python := testkit.Python(t)
	addr := serveTCP(t, srv)

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, filepath.Join("testdata", "greeter_client.py"), addr).CombinedOutput()
	if err != nil {
		t.Fatalf("%s testdata/greeter_client.py %s failed: %v\n%s", python, addr, err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "Greeter client received: Hello, you!"; got != want {
		t.Errorf("the Python client printed %q; want %q", got, want)
	}
}
