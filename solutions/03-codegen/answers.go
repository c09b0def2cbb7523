package helloworld

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// Step 4: answer each question with an identifier from the generated code
// (helloworld.pb.go and helloworld_grpc.pb.go). README.md says where to look.

// SayHelloMethod returns the name a client puts on the wire to call
// SayHello: the address of the method on the server (problem 2).
func SayHelloMethod() (string, error) {
	return Greeter_SayHello_FullMethodName, nil
}

// GreeterService returns the table a gRPC server uses to find the handler
// of each Greeter method (problem 4).
func GreeterService() (*grpc.ServiceDesc, error) {
	return &Greeter_ServiceDesc, nil
}

// greeter answers SayHello. It embeds UnimplementedGreeterServer by value,
// so every method it does not define (SayHelloAgain, and any method the
// .proto gains later) answers codes.Unimplemented instead of breaking the
// build.
type greeter struct {
	UnimplementedGreeterServer
}

func (greeter) SayHello(_ context.Context, req *HelloRequest) (*HelloReply, error) {
	return &HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}

// RegisterGreeter registers on s a Greeter that answers SayHello with
// "Hello, <name>!" and leaves every other method to the generated
// UnimplementedGreeterServer.
func RegisterGreeter(s grpc.ServiceRegistrar) error {
	RegisterGreeterServer(s, greeter{})
	return nil
}

// NewHelloRequest returns a HelloRequest that carries name (problem 3).
func NewHelloRequest(name string) (proto.Message, error) {
	return &HelloRequest{Name: name}, nil
}

// ReplyText returns the greeting a HelloReply carries, read with its
// generated getter, or an error if reply is not a HelloReply.
func ReplyText(reply proto.Message) (string, error) {
	r, ok := reply.(*HelloReply)
	if !ok {
		return "", fmt.Errorf("ReplyText: got a %T, want a *HelloReply", reply)
	}
	return r.GetMessage(), nil
}

// FieldNumbers returns the field numbers of any message by field name, read
// from the message's descriptor: the part of the .proto the generated code
// carries inside it.
func FieldNumbers(msg proto.Message) (map[string]int, error) {
	fields := msg.ProtoReflect().Descriptor().Fields()
	numbers := make(map[string]int, fields.Len())
	for i := range fields.Len() {
		f := fields.Get(i)
		numbers[string(f.Name())] = int(f.Number())
	}
	return numbers, nil
}
