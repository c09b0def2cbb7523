package main

import (
	"context"
	"errors"
	"io"

	"github.com/rpcworkshop/workshop/helloworld"
)

// collect calls SayHelloStreamReply for name and returns the messages of the
// replies, in order. The stream's clean end (io.EOF, status OK) returns them
// with a nil error; a stream that breaks off returns the messages read so
// far and the status error that ended it. When max > 0, collect stops after
// max replies and cancels the stream, so the server stops sending; that is
// a clean end too.
func collect(ctx context.Context, client helloworld.GreeterClient, name string, max int) ([]string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // after max replies, this tells the server to stop

	stream, err := client.SayHelloStreamReply(ctx, &helloworld.HelloRequest{Name: name})
	if err != nil {
		return nil, err
	}
	var messages []string
	for max <= 0 || len(messages) < max {
		reply, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return messages, nil
		}
		if err != nil {
			return messages, err
		}
		messages = append(messages, reply.GetMessage())
	}
	return messages, nil
}

// chat calls SayHelloBidiStream, sends every name while it receives the
// replies, half-closes the stream after the last name, and returns the
// messages of all the replies, in order. If the stream breaks off, it
// returns the messages so far and the error. It returns only when both its
// sending and its receiving have stopped.
func chat(ctx context.Context, client helloworld.GreeterClient, names []string) ([]string, error) {
	return nil, errors.New("step 3: chat is not implemented yet")
}
