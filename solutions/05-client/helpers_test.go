package main

// Helpers the steps' tests share: the servers the tests talk to, Greeters
// served inside the test over bufconn, an in-memory listener, so no test
// needs a port or a network; and runClient, which runs Run as main does.

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

// testTarget is the target the tests give to Dial and Run. passthrough:///
// hands the rest to the dialer unchanged; the dialer ignores it and
// connects to the in-memory listener.
const testTarget = "passthrough:///bufnet"

// sayHello is the body of a test server's SayHello.
type sayHello func(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error)

type greeterFunc struct {
	helloworld.UnimplementedGreeterServer
	fn sayHello
}

func (g *greeterFunc) SayHello(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	return g.fn(ctx, req)
}

// testServer is a Greeter running in the test.
type testServer struct {
	lis      *countingListener
	dialOpts []grpc.DialOption // what Dial and Run need to reach it
}

// startServer serves fn as SayHello until the test ends.
func startServer(t *testing.T, fn sayHello) *testServer {
	t.Helper()
	lis := &countingListener{Listener: bufconn.Listen(1 << 20)}
	srv := grpc.NewServer()
	helloworld.RegisterGreeterServer(srv, &greeterFunc{fn: fn})
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	return &testServer{lis: lis, dialOpts: inMemory(lis.Listener)}
}

// downServer returns the dial options of a server that is not there: its
// listener is closed, so every connection attempt fails at once.
func downServer() []grpc.DialOption {
	lis := bufconn.Listen(1 << 20)
	lis.Close()
	return inMemory(lis)
}

func inMemory(lis *bufconn.Listener) []grpc.DialOption {
	return []grpc.DialOption{grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
		return lis.DialContext(ctx)
	})}
}

// client returns a Greeter client of the test's own, so that the tests of
// steps 2 to 4 do not depend on the student's Dial.
func (s *testServer) client(t *testing.T) helloworld.GreeterClient {
	t.Helper()
	opts := append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, s.dialOpts...)
	conn, err := grpc.NewClient(testTarget, opts...)
	if err != nil {
		t.Fatalf("test setup: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return helloworld.NewGreeterClient(conn)
}

// call is what a test server saw of one call.
type call struct {
	Name        string
	RequestIDs  []string      // the x-request-id values in the metadata
	Traces      []string      // the x-trace values: metadata the caller set before GreetWithID
	HasDeadline bool          // whether the call carried a deadline
	Left        time.Duration // how long the deadline had left when the call arrived
}

// callLog records calls; safe for the server's goroutines.
// traceKey is metadata a caller puts on its context before GreetWithID,
// which must reach the server too.
const traceKey = "x-trace"

type callLog struct {
	mu    sync.Mutex
	calls []call
}

func (l *callLog) add(c call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, c)
}

func (l *callLog) all() []call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]call(nil), l.calls...)
}

// hello answers "Hello, <name>!" like the chapter 04 server, records each
// call in log, and, when echo is set, sends the x-request-id back in its
// header.
func hello(log *callLog, echo bool) sayHello {
	return func(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
		c := call{Name: req.GetName()}
		if dl, ok := ctx.Deadline(); ok {
			c.HasDeadline, c.Left = true, time.Until(dl)
		}
		md, _ := metadata.FromIncomingContext(ctx)
		c.RequestIDs = md.Get(RequestIDKey)
		c.Traces = md.Get(traceKey)
		log.add(c)
		if echo && len(c.RequestIDs) > 0 {
			if err := grpc.SetHeader(ctx, metadata.Pairs(RequestIDKey, c.RequestIDs[0])); err != nil {
				return nil, err
			}
		}
		return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
	}
}

// slow never answers: it waits until the call is cancelled or its deadline
// passes (or 10s, so that a test without a deadline still ends).
func slow(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	select {
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	case <-time.After(10 * time.Second):
		return nil, status.Error(codes.Internal, "the slow test server waited 10s for a deadline that never came")
	}
}

// failing answers every call with the error code named by the request's
// name, such as "NotFound", and the message failMessage(code).
func failing(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	for c := codes.OK; c <= codes.Unauthenticated; c++ {
		if c.String() == req.GetName() {
			return nil, status.Error(c, failMessage(c))
		}
	}
	return nil, status.Errorf(codes.Internal, "test setup: no code named %q", req.GetName())
}

func failMessage(c codes.Code) string {
	return "the test server answers " + c.String() + " on purpose"
}

// countingListener counts the connections it accepts and notices when
// each one is closed by the client.
type countingListener struct {
	*bufconn.Listener
	mu    sync.Mutex
	conns []*watchedConn
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	w := &watchedConn{Conn: c, gone: make(chan struct{})}
	l.mu.Lock()
	l.conns = append(l.conns, w)
	l.mu.Unlock()
	return w, nil
}

// accepted returns how many connections clients opened so far.
func (l *countingListener) accepted() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

// openAfter waits up to d for the clients to close their connections and
// returns how many are still open.
func (l *countingListener) openAfter(d time.Duration) int {
	l.mu.Lock()
	conns := append([]*watchedConn(nil), l.conns...)
	l.mu.Unlock()
	deadline := time.After(d)
	open := len(conns)
	for _, c := range conns {
		select {
		case <-c.gone:
			open--
		case <-deadline:
			return open
		}
	}
	return open
}

// watchedConn closes gone when reading from the client fails: the client
// hung up.
type watchedConn struct {
	net.Conn
	once sync.Once
	gone chan struct{}
}

func (c *watchedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if err != nil {
		c.once.Do(func() { close(c.gone) })
	}
	return n, err
}

// firstLine returns the first line of s, for short failure messages.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// runClient runs Run as main would, and ends the test with one line when
// Run reports an unfinished step.
func runClient(t *testing.T, cfg Config, dialOpts ...grpc.DialOption) (code int, stdout, stderr string, elapsed time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	start := time.Now()
	code = Run(ctx, cfg, &out, &errOut, dialOpts...)
	elapsed = time.Since(start)
	if msg, step, ok := testkit.NotImplemented(errors.New(errOut.String())); ok {
		t.Fatalf("Run printed %q: follow step %d in README.md", msg, step)
	}
	return code, out.String(), errOut.String(), elapsed
}
