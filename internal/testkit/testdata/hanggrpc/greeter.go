// Package hanggrpc is a chapter 04 gone wrong: a Greeter whose SayHello
// ignores its context, so a graceful stop waits on it for ever.
package hanggrpc

import (
	"context"

	"github.com/rpcworkshop/workshop/helloworld"
)

// Greeter answers SayHello only when a reply comes, which it never does.
type Greeter struct {
	helloworld.UnimplementedGreeterServer
	replies chan string
}

func (g *Greeter) SayHello(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	msg := <-g.replies // ctx.Done() is not watched: a cancelled call keeps waiting
	return &helloworld.HelloReply{Message: msg}, nil
}
