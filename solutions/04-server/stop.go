package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
)

// serve serves srv on lis until ctx is done, then stops gracefully: no new
// calls, the calls in flight finish. If they take longer than grace, it
// stops hard, cancelling them, and says so in its error.
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
