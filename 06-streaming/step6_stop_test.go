package main

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

// longStreams opens the two kinds of stream that never end by themselves:
// a server stream with an hour between replies (its first reply read) and
// an idle bidirectional stream (one name answered). It returns a channel
// that gets the error that ends each.
func longStreams(t *testing.T, client helloworld.GreeterClient) <-chan error {
	t.Helper()
	ends := make(chan error, 2)
	stream, err := client.SayHelloStreamReply(callContext(t), &helloworld.HelloRequest{Name: "Ada"})
	if err == nil {
		_, err = stream.Recv()
	}
	testkit.StopIfNotImplemented(t, err, "stop.go")
	if err != nil {
		t.Fatalf("opening a long server stream: %v", err)
	}
	go func() { _, err := readAll(stream); ends <- err }()

	bidi := openBidi(t, client, callContext(t))
	bidi.Send(&helloworld.HelloRequest{Name: "Ada"})
	if _, err := bidi.Recv(); err != nil {
		t.Fatalf("opening an idle bidirectional stream: %v", err)
	}
	go func() { _, err := bidi.Recv(); ends <- err }()
	return ends
}

// wantUnavailable checks that both long streams end, with Unavailable.
func wantUnavailable(t *testing.T, ends <-chan error, why string) {
	t.Helper()
	for range 2 {
		select {
		case err := <-ends:
			if status.Code(err) != codes.Unavailable {
				t.Errorf("%s, a long stream ended with %v; want code Unavailable, from ctxStatus: the stream's context should end with errShuttingDown as its cause", why, err)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("%s, a long stream still runs after 2s; its context should end: newServer chains d.interceptor after logStreams, and d.interceptor hands the handler a stream whose context ends with d.streams (context.WithCancelCause, context.AfterFunc)", why)
		}
	}
}

func TestStep6_InterceptorEndsStreams(t *testing.T) {
	noLeaks(t)
	d := newDrain()
	client, _ := greeterServer(t, &Greeter{Replies: 3, Interval: time.Hour}, grpc.StreamInterceptor(d.interceptor))
	if got, err := chatBy(t, client, []string{"Ada", "Grace"}); err != nil || len(got) != 2 {
		testkit.StopIfNotImplemented(t, err, "stop.go")
		t.Fatalf("a stream through d.interceptor got %q, %v; want 2 replies: call handler(srv, ...) with the stream", got, err)
	}
	ends := longStreams(t, client)
	d.endStreams(errShuttingDown)
	wantUnavailable(t, ends, "after d.endStreams")
}

// startServe runs serve in the background and returns a channel that gets
// its result.
func startServe(ctx context.Context, srv *grpc.Server, d *drain, lis *bufconn.Listener, grace time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() { done <- serve(ctx, srv, d, lis, grace) }()
	return done
}

// The order of a stop, with a health Watch and two long streams open: the
// watcher sees NOT_SERVING, the streams end with Unavailable, and serve
// returns long before the grace period is over.
func TestStep6_StopOrder(t *testing.T) {
	noLeaks(t)
	d := newDrain()
	srv := newTestServer(t, slog.New(slog.DiscardHandler), &Greeter{Replies: 3, Interval: time.Hour}, d)
	lis := bufconn.Listen(1 << 20)
	t.Cleanup(srv.Stop)
	conn := dialInMemory(t, lis)
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	const grace = 4 * time.Second
	served := startServe(ctx, srv, d, lis, grace)

	watch, err := healthpb.NewHealthClient(conn).Watch(callContext(t), &healthpb.HealthCheckRequest{})
	var first *healthpb.HealthCheckResponse
	if err == nil {
		first, err = watch.Recv()
	}
	if err != nil {
		select {
		case err := <-served:
			testkit.StopIfNotImplemented(t, err, "stop.go")
		default:
		}
		t.Fatalf("Health/Watch: %v", err)
	}
	if first.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("Health/Watch first says %v; want SERVING", first.GetStatus())
	}
	ends := longStreams(t, helloworld.NewGreeterClient(conn))

	start := time.Now()
	stop() // what SIGINT or SIGTERM does in main
	next, err := watch.Recv()
	if err != nil || next.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Errorf("when the stop began, the health watcher got (%v, %v); want NOT_SERVING: call d.health.Shutdown() first, before the streams end", next.GetStatus(), err)
	}
	wantUnavailable(t, ends, "when the stop began")
	if _, err := watch.Recv(); err == nil {
		t.Errorf("the health Watch stream goes on after the stop; want it ended: it goes through d.interceptor too")
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("serve returned %v; want nil: every stream ended by itself, no call was cut short", err)
		}
		if d := time.Since(start); d > grace/2 {
			t.Errorf("serve took %v to stop with only long streams open; want far less than the grace period of %v", d, grace)
		}
	case <-time.After(grace + callTimeout):
		t.Fatalf("serve still runs %v after the stop began", grace+callTimeout)
	}
}

// slowGreeter holds every SayHello until release is closed or its context
// ends, so a test can stop the server while calls are in flight.
type slowGreeter struct {
	helloworld.UnimplementedGreeterServer
	entered chan string
	release chan struct{}
}

func (g slowGreeter) SayHello(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	g.entered <- req.GetName()
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	}
	return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}

func waitEntered(t *testing.T, g slowGreeter, n int, served <-chan error) {
	t.Helper()
	timeout := time.After(callTimeout)
	for range n {
		select {
		case <-g.entered:
		case err := <-served:
			testkit.StopIfNotImplemented(t, err, "stop.go")
			t.Fatalf("serve returned %v before it was asked to stop; it should call srv.Serve(lis) and keep serving until ctx is done", err)
		case <-timeout:
			t.Fatalf("after %v, fewer than %d calls reached the server; serve should call srv.Serve(lis)", callTimeout, n)
		}
	}
}

func TestStep6_GracefulStopFinishesCallsInFlight(t *testing.T) {
	const calls = 3
	g := slowGreeter{entered: make(chan string, calls), release: make(chan struct{})}
	srv := grpc.NewServer()
	helloworld.RegisterGreeterServer(srv, g)
	lis := bufconn.Listen(1 << 20)
	t.Cleanup(srv.Stop)
	client := helloworld.NewGreeterClient(dialInMemory(t, lis))
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	served := startServe(ctx, srv, newDrain(), lis, callTimeout)

	results := make(chan error, calls)
	for i := range calls {
		name, callCtx := fmt.Sprint("caller-", i), callContext(t)
		go func() {
			_, err := client.SayHello(callCtx, &helloworld.HelloRequest{Name: name})
			results <- err
		}()
	}
	waitEntered(t, g, calls, served)
	stop()
	select {
	case err := <-served:
		t.Fatalf("serve returned (%v) while %d calls were still running; after the drain, call srv.GracefulStop(), which waits for them", err, calls)
	case <-time.After(100 * time.Millisecond):
	}
	close(g.release)
	for range calls {
		if err := <-results; err != nil {
			t.Errorf("a call in flight during the stop failed: %v; GracefulStop should let it finish", err)
		}
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("serve returned %v after a graceful stop; want nil", err)
		}
	case <-time.After(callTimeout):
		t.Fatalf("serve did not return within %v after the calls in flight finished", callTimeout)
	}
}

func TestStep6_StopsAfterGracePeriod(t *testing.T) {
	const grace = 200 * time.Millisecond
	g := slowGreeter{entered: make(chan string, 1), release: make(chan struct{})}
	defer close(g.release)
	srv := grpc.NewServer()
	helloworld.RegisterGreeterServer(srv, g)
	lis := bufconn.Listen(1 << 20)
	t.Cleanup(srv.Stop)
	client := helloworld.NewGreeterClient(dialInMemory(t, lis))
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	served := startServe(ctx, srv, newDrain(), lis, grace)

	result := make(chan error, 1)
	// The stuck call's own deadline is far off, so only serve can end it.
	callCtx, cancelCall := context.WithTimeout(t.Context(), 6*callTimeout)
	defer cancelCall()
	go func() {
		_, err := client.SayHello(callCtx, &helloworld.HelloRequest{Name: "stuck"})
		result <- err
	}()
	waitEntered(t, g, 1, served)
	start := time.Now()
	stop()
	select {
	case err := <-served:
		if err == nil {
			t.Errorf("serve returned nil after cutting a call short; return an error that says so")
		}
		if waited := time.Since(start); waited < grace {
			t.Errorf("serve stopped after %v, before the grace period of %v", waited, grace)
		}
	case <-time.After(grace + callTimeout):
		t.Fatalf("serve still waits %v after a grace period of %v; when it is over, call srv.Stop()", grace+callTimeout, grace)
	}
	select {
	case err := <-result:
		if err == nil {
			t.Errorf("the stuck call succeeded; want it cut short by srv.Stop()")
		}
	case <-time.After(callTimeout):
		t.Fatalf("the stuck call still runs %v after serve returned", callTimeout)
	}
}

func TestStep6_ReturnsServeError(t *testing.T) {
	lis := bufconn.Listen(1 << 20)
	lis.Close()
	select {
	case err := <-startServe(t.Context(), grpc.NewServer(), newDrain(), lis, callTimeout):
		testkit.StopIfNotImplemented(t, err, "stop.go")
		if err == nil {
			t.Errorf("serve on a closed listener returned nil; want the error from srv.Serve(lis)")
		}
	case <-time.After(callTimeout):
		t.Fatalf("serve on a closed listener still runs after %v; when srv.Serve fails, return its error", callTimeout)
	}
}

// The program itself, as `go run . -interval 1h` starts it, with a health
// Watch and two long streams open when SIGTERM comes.
func TestStep6_ProgramStopsOnSIGTERM(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no SIGTERM to send; stop the program with Ctrl-C instead")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*callTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-addr", "127.0.0.1:0", "-interval", "1h")
	cmd.Env = append(os.Environ(), runAsMain+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the program: %v", err)
	}
	defer cmd.Process.Kill()

	var log strings.Builder
	lines := bufio.NewScanner(stderr)
	addr := ""
	for addr == "" && lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		if _, after, ok := strings.Cut(lines.Text(), " addr="); ok {
			addr = strings.Fields(after)[0]
		}
	}
	if addr == "" {
		t.Fatalf("the program exited before it served (main calls newServer from step 5, then serve from step 6); it printed:\n%s", log.String())
	}
	conn := dialTCP(t, addr)
	watch, err := healthpb.NewHealthClient(conn).Watch(callContext(t), &healthpb.HealthCheckRequest{})
	if err == nil {
		_, err = watch.Recv()
	}
	if err != nil {
		t.Fatalf("step 6: the program started but does not serve: Health/Watch got %v; main calls newServer (step 5), then serve: finish serve in stop.go", err)
	}
	ends := longStreams(t, helloworld.NewGreeterClient(conn))

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("sending SIGTERM: %v", err)
	}
	if next, err := watch.Recv(); err != nil || next.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Errorf("after SIGTERM the health watcher got (%v, %v); want NOT_SERVING", next.GetStatus(), err)
	}
	wantUnavailable(t, ends, "after SIGTERM")
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM the program ended with %v; want exit status 0. It printed:\n%s", err, log.String())
	}
	if d := time.Since(start); d > gracePeriod/2 {
		t.Errorf("the program took %v to stop with only long streams open; want far less than its grace period of %v", d, gracePeriod)
	}
	if !strings.Contains(log.String(), "msg=stopped") {
		t.Errorf("after SIGTERM the program printed:\n%s\nwant a line saying it stopped", log.String())
	}
}
