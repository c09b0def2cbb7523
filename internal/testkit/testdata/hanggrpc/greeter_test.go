package hanggrpc

import (
	"context"
	"net"
	"os"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

func TestStep1_HandlerIgnoresContext(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	helloworld.RegisterGreeterServer(srv, &Greeter{replies: make(chan string)})
	go srv.Serve(lis)
	t.Cleanup(srv.GracefulStop) // waits for SayHello, which never returns

	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	if _, err := helloworld.NewGreeterClient(conn).SayHello(ctx, &helloworld.HelloRequest{Name: "you"}); err == nil {
		t.Error("SayHello answered; want a deadline error")
	}
}
