package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// maxNameBytes is the longest name the Greeter accepts.
const maxNameBytes = 100

// greetings are the words SayHelloStreamReply greets with, in turn.
var greetings = []string{"Hello", "Bonjour", "Hola", "Hallo", "Ciao", "Olá", "Привет", "你好"}

// Greeter implements helloworld.GreeterServer: the unary SayHello of chapter
// 04 and the two streaming methods of this chapter.
type Greeter struct {
	helloworld.UnimplementedGreeterServer

	// Replies is how many replies SayHelloStreamReply sends; zero means one
	// per greeting in greetings.
	Replies int
	// Interval is the pause between two replies of SayHelloStreamReply.
	Interval time.Duration
}

// SayHello answers "Hello, <name>!".
func (g *Greeter) SayHello(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	if err := checkName(req.GetName()); err != nil {
		return nil, err
	}
	return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}

// SayHelloStreamReply greets one name g.Replies times, going through
// greetings in order ("Hello, Ada!", "Bonjour, Ada!", ...), then ends the
// stream with status OK. A bad name ends it at once with
// codes.InvalidArgument. Between two replies it checks the stream's
// context: a client that cancelled, a deadline that passed or a server on
// its way down ends the stream with the status ctxStatus gives. It returns
// the error of a Send that fails.
func (g *Greeter) SayHelloStreamReply(req *helloworld.HelloRequest, stream grpc.ServerStreamingServer[helloworld.HelloReply]) error {
	if err := checkName(req.GetName()); err != nil {
		return err
	}
	ctx := stream.Context()
	replies := g.Replies
	if replies == 0 {
		replies = len(greetings)
	}
	for i := range replies {
		if i > 0 && g.Interval > 0 {
			select {
			case <-time.After(g.Interval):
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			return ctxStatus(ctx)
		}
		msg := greetings[i%len(greetings)] + ", " + req.GetName() + "!"
		if err := stream.Send(&helloworld.HelloReply{Message: msg}); err != nil {
			return err
		}
	}
	return nil
}

// SayHelloBidiStream answers each HelloRequest with "Hello, <name>!" as it
// arrives, and ends with status OK when the client half-closes. A bad name
// ends the stream with codes.InvalidArgument. It waits for the next request
// and the stream's context at once, so a cancel, a deadline or a server on
// its way down ends it even while the client sends nothing (with the status
// ctxStatus gives); no goroutine it starts outlives the call.
func (g *Greeter) SayHelloBidiStream(stream grpc.BidiStreamingServer[helloworld.HelloRequest, helloworld.HelloReply]) error {
	return errors.New("step 3: SayHelloBidiStream is not implemented yet")
}

// checkName returns nil for a name the Greeter accepts, and otherwise a
// status error with codes.InvalidArgument that tells the caller what to send.
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

// errShuttingDown is the cause of a stream's context when the server ends
// the stream on its way down (step 6).
var errShuttingDown = errors.New("the server is shutting down")

// ctxStatus is the status a handler returns when its stream's context is
// done: codes.Unavailable when the server is shutting down (the client may
// call again and reach another server), otherwise the context's own code,
// codes.Canceled or codes.DeadlineExceeded.
func ctxStatus(ctx context.Context) error {
	if errors.Is(context.Cause(ctx), errShuttingDown) {
		return status.Error(codes.Unavailable, "the server is shutting down: call again to reach another server")
	}
	return status.FromContextError(ctx.Err()).Err()
}
