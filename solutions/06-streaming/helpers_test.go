package main

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/grpctest"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
)

// callTimeout bounds every call a test makes, so a broken server fails the
// test in seconds instead of hanging it. It and the functions below are the
// plumbing the gRPC chapters share, from internal/grpctest.
const callTimeout = grpctest.CallTimeout

var (
	callContext   = grpctest.CallContext
	serveInMemory = grpctest.ServeInMemory
	dialInMemory  = grpctest.DialInMemory
	serveTCP      = grpctest.ServeTCP
	dialTCP       = grpctest.DialTCP
)

// runAsMain is set in the environment of a copy of this test binary that
// runs main() instead of the tests: the program itself, as `go run .` starts it.
const runAsMain = "STREAMING_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(testkit.Main(m))
}

// greeterServer serves g alone, over an in-memory connection, and returns
// a client of it. ends receives the error of every streaming handler as it
// returns.
func greeterServer(t *testing.T, g helloworld.GreeterServer, opts ...grpc.ServerOption) (helloworld.GreeterClient, <-chan error) {
	t.Helper()
	conn, ends := greeterConn(t, g, opts...)
	return helloworld.NewGreeterClient(conn), ends
}

// greeterConn is greeterServer's connection, for the tests that send what
// the generated client cannot.
func greeterConn(t *testing.T, g helloworld.GreeterServer, opts ...grpc.ServerOption) (*grpc.ClientConn, <-chan error) {
	t.Helper()
	ends := make(chan error, 100)
	opts = append(opts, grpc.ChainStreamInterceptor(func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		err := handler(srv, ss)
		select {
		case ends <- err:
		default: // nobody waits for this one
		}
		return err
	}))
	srv := grpc.NewServer(opts...)
	helloworld.RegisterGreeterServer(srv, g)
	return serveInMemory(t, srv), ends
}

// handlerEnd waits for the server's handler to return, and returns its
// error; it fails the test if that takes longer than within.
func handlerEnd(t *testing.T, ends <-chan error, within time.Duration, why string) error {
	t.Helper()
	select {
	case err := <-ends:
		return err
	case <-time.After(within):
		t.Fatalf("the server's handler still runs %v after %s; it should return", within, why)
		return nil
	}
}

// noLeaks fails the test if, once it and its cleanups are over, more
// goroutines run than when it started: a handler or a client goroutine
// that outlives its call.
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("%d goroutines still run after the test, %d more than before it: a goroutine outlives its stream (every goroutine a call starts must end when the call does). They are:\n%s",
				n, n-before, buf)
		}
	})
}
