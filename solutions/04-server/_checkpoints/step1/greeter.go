package main

import (
	"context"
	"errors"

	"github.com/rpcworkshop/workshop/helloworld"
)

// maxNameBytes is the longest name the Greeter accepts.
const maxNameBytes = 100

// Greeter implements helloworld.GreeterServer. Embedding
// UnimplementedGreeterServer by value keeps it compiling when the service
// gains a method: the new method answers codes.Unimplemented until written.
type Greeter struct {
	helloworld.UnimplementedGreeterServer
}

// SayHello answers "Hello, <name>!".
func (Greeter) SayHello(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	// Step 2: first, return the error of checkName(req.GetName()) if there is one.
	return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}

// SayHelloAgain answers "Hello again, <name>!".
func (Greeter) SayHelloAgain(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	// Step 2: check the name here too.
	return &helloworld.HelloReply{Message: "Hello again, " + req.GetName() + "!"}, nil
}

// checkName returns nil for a name the Greeter accepts, and otherwise a
// status error with codes.InvalidArgument that tells the caller what to send.
func checkName(name string) error {
	// Step 2: an empty name, or one longer than maxNameBytes, is
	// status.Error(codes.InvalidArgument, "<what is wrong>: <what to send>").
	return errors.New("step 2: checkName is not implemented yet")
}
