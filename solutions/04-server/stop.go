package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
)

// serve serves srv on lis until ctx is done, then stops gracefully: srv takes
// no new calls, the calls in flight finish, and serve returns nil. If they
// take longer than grace, it stops hard, cancelling them, and returns an
// error that says so. If serving fails before ctx is done (lis is closed,
// say), serve returns that error at once. Either way, serve returns only
// after srv.Serve has.
func serve(ctx context.Context, srv *grpc.Server, lis net.Listener, grace time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()

	select {
	case err := <-served:
		return err // Serve failed before anyone asked it to stop
	case <-ctx.Done():
	}

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
