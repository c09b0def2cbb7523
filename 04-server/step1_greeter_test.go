package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/testing/protocmp"
)

func TestStep1_SayHello(t *testing.T) {
	for _, name := range []string{"you", "Ada Lovelace", "世界"} {
		got, err := Greeter{}.SayHello(callContext(t), &helloworld.HelloRequest{Name: name})
		testkit.StopIfNotImplemented(t, err, "greeter.go")
		if err != nil {
			t.Fatalf("SayHello(name %q) returned error %v; want a reply", name, err)
		}
		want := &helloworld.HelloReply{Message: "Hello, " + name + "!"}
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			t.Errorf("SayHello(name %q) reply (-want +got):\n%s", name, diff)
		}
	}
}

func TestStep1_SayHelloAgain(t *testing.T) {
	for _, name := range []string{"you", "Ada Lovelace"} {
		got, err := Greeter{}.SayHelloAgain(callContext(t), &helloworld.HelloRequest{Name: name})
		testkit.StopIfNotImplemented(t, err, "greeter.go")
		if err != nil {
			t.Fatalf("SayHelloAgain(name %q) returned error %v; want a reply", name, err)
		}
		want := &helloworld.HelloReply{Message: "Hello again, " + name + "!"}
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			t.Errorf("SayHelloAgain(name %q) reply (-want +got):\n%s", name, diff)
		}
	}
}

// Over gRPC: the generated code turns bytes into a HelloRequest, finds
// SayHello by its name and calls your method.
func TestStep1_SayHelloOverGRPC(t *testing.T) {
	srv := grpc.NewServer()
	helloworld.RegisterGreeterServer(srv, Greeter{})
	client := helloworld.NewGreeterClient(serveInMemory(t, srv))

	got, err := client.SayHello(callContext(t), &helloworld.HelloRequest{Name: "you"})
	testkit.StopIfNotImplemented(t, err, "greeter.go")
	if err != nil {
		t.Fatalf("SayHello over gRPC returned error %v; want the reply \"Hello, you!\"", err)
	}
	want := &helloworld.HelloReply{Message: "Hello, you!"}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("SayHello over gRPC reply (-want +got):\n%s", diff)
	}
}
