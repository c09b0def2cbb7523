// Package grpctest is the plumbing the gRPC chapters' tests share: a
// deadline for every call, and a server that a test starts and reaches in
// memory or on a free TCP port, stopped when the test ends. It is kept
// apart from testkit, which must not import gRPC, so that the tests of
// chapters 01 and 02 build without it.
package grpctest

import (
	"context"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
)

// CallTimeout bounds every call a test makes, so a broken server fails the
// test in seconds instead of hanging it.
const CallTimeout = 5 * time.Second

// CallContext returns a context that ends CallTimeout from now, or with the
// test.
func CallContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), CallTimeout)
	t.Cleanup(cancel)
	return ctx
}

// ServeInMemory serves srv on an in-memory listener and returns a client
// connection to it. The server stops when the test ends.
func ServeInMemory(t *testing.T, srv *grpc.Server) *grpc.ClientConn {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	return DialInMemory(t, lis)
}

// DialInMemory returns a client connection to lis, closed when the test
// ends.
func DialInMemory(t *testing.T, lis *bufconn.Listener) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	)
	if err != nil {
		t.Fatalf("grpc.NewClient: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// ServeTCP serves srv on a free TCP port of 127.0.0.1 and returns its
// address. The server stops when the test ends.
func ServeTCP(t testing.TB, srv *grpc.Server) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.1:0: %v", err)
	}
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

// DialTCP returns a client connection to addr, closed when the test ends.
func DialTCP(t testing.TB, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatalf("grpc.NewClient(%q): %v", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
