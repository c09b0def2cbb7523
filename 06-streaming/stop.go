package main

import (
	"context"
	"errors"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	"google.golang.org/grpc/status"
)

// A drain is what a server does on its way down before it stops: its health
// service reports NOT_SERVING, then its long streams end. Without it, a
// stream that never ends by itself (a health Watch, an idle bidirectional
// stream) holds a graceful stop for the whole grace period.
type drain struct {
	health *health.Server

	streams    context.Context // every stream's context ends when it does
	endStreams context.CancelCauseFunc
}

// newDrain returns a drain with a new health server.
func newDrain() *drain {
	d := &drain{health: health.NewServer()}
	d.streams, d.endStreams = context.WithCancelCause(context.Background())
	return d
}

// interceptor is a stream interceptor that hands the handler a stream whose
// context also ends when d.streams does, with the same cause
// (errShuttingDown, when serve ends the streams). The stream itself is the one gRPC gave.
func (d *drain) interceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	return status.Error(codes.Unimplemented, "step 6: drain.interceptor is not implemented yet")
}

// streamWithContext is a grpc.ServerStream with a context of its own.
type streamWithContext struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *streamWithContext) Context() context.Context { return s.ctx }

// serve serves srv on lis until ctx is done, then stops in order: d.health
// reports NOT_SERVING for every service, so that watchers and load balancers
// stop sending; the streams that go through d's interceptor end, with
// errShuttingDown as their cause; then a graceful stop: no new calls, the
// calls in flight finish. If they take longer than grace,
// it stops hard, cancelling them, and says so in its error. If srv.Serve
// fails on its own, serve returns its error at once.
func serve(ctx context.Context, srv *grpc.Server, d *drain, lis net.Listener, grace time.Duration) error {
	return errors.New("step 6: serve is not implemented yet")
}
