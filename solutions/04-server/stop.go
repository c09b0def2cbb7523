package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
)

// A drain is what the server does on its way down, before its graceful stop:
// its health service reports NOT_SERVING, then its streams end. A health
// Watch is a stream that never ends by itself: without the drain it would
// hold GracefulStop for the whole grace period. (Chapter 06 builds the same
// for streams of its own.)
type drain struct {
	health *health.Server

	streams    context.Context // every stream's context ends when it does
	endStreams context.CancelFunc
}

// newDrain returns a drain with a new health server.
func newDrain() *drain {
	d := &drain{health: health.NewServer()}
	d.streams, d.endStreams = context.WithCancel(context.Background())
	return d
}

// interceptor is a stream interceptor that hands the handler a stream whose
// context also ends when d.endStreams is called.
func (d *drain) interceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	ctx, cancel := context.WithCancel(ss.Context())
	defer cancel()
	stop := context.AfterFunc(d.streams, cancel)
	defer stop()
	return handler(srv, &streamWithContext{ServerStream: ss, ctx: ctx})
}

// streamWithContext is a grpc.ServerStream with a context of its own.
type streamWithContext struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *streamWithContext) Context() context.Context { return s.ctx }

// serve serves srv on lis until ctx is done, then stops in order: d.health
// reports NOT_SERVING for every service, so that watchers and load balancers
// stop sending; the streams that go through d's interceptor end (a health
// Watch among them); then srv stops gracefully: it takes no new calls, the
// calls in flight finish, and serve returns nil. If they take longer than
// grace, it stops hard, cancelling them, and returns an error that says so.
// If serving fails before ctx is done (lis is closed, say), serve returns
// that error at once. Either way, serve returns only after srv.Serve has.
func serve(ctx context.Context, srv *grpc.Server, d *drain, lis net.Listener, grace time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()

	select {
	case err := <-served:
		return err // Serve failed before anyone asked it to stop
	case <-ctx.Done():
	}

	d.health.Shutdown()
	d.endStreams()
	stopped := make(chan struct{})
	go func() {
		srv.GracefulStop()
		close(stopped)
	}()

	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-stopped:
		return <-served
	case <-timer.C:
		srv.Stop()
		<-stopped
		<-served
		return fmt.Errorf("calls still running after a grace period of %v were cancelled", grace)
	}
}
