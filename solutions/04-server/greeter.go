package main

import (
	"context"
	"fmt"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// maxNameBytes is the longest name the Greeter accepts.
const maxNameBytes = 100

// Greeter implements helloworld.GreeterServer. Embedding
// UnimplementedGreeterServer by value keeps it compiling when the service
// gains a method: the new method answers codes.Unimplemented until written.
type Greeter struct {
	helloworld.UnimplementedGreeterServer
}

// SayHello answers "Hello, <name>!". A name that [checkName] refuses gets
// checkName's error instead of a reply (step 2).
func (Greeter) SayHello(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	if err := checkName(req.GetName()); err != nil {
		return nil, err
	}
	return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}

// SayHelloAgain answers "Hello again, <name>!", and refuses the names
// SayHello refuses, with the same error (step 2).
func (Greeter) SayHelloAgain(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	if err := checkName(req.GetName()); err != nil {
		return nil, err
	}
	return &helloworld.HelloReply{Message: "Hello again, " + req.GetName() + "!"}, nil
}

// checkName returns nil for a name the Greeter accepts, and otherwise a
// status error with codes.InvalidArgument that tells the caller what to send.
// It refuses an empty name and one longer than maxNameBytes bytes.
func checkName(name string) error {
	if name == "" {
		return status.Error(codes.InvalidArgument, `name is empty: send a HelloRequest with a name, for example {"name": "you"}`)
	}
	if len(name) > maxNameBytes {
		return status.Error(codes.InvalidArgument,
			fmt.Sprintf("name is %d bytes long: send a name of at most %d bytes", len(name), maxNameBytes))
	}
	return nil
}
