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

// slowGreeter holds every SayHello until release is closed, so a test can
// stop the server while calls are in flight.
type slowGreeter struct {
	helloworld.UnimplementedGreeterServer
	entered chan string   // receives each name as its call starts
	release chan struct{} // closed to let the calls finish
}

func (g slowGreeter) SayHello(ctx context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	g.entered <- req.GetName()
	select {
	case <-g.release:
		return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}

// startServe runs serve in the background and returns a channel that gets
// its result.
func startServe(ctx context.Context, srv *grpc.Server, lis *bufconn.Listener, grace time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() { done <- serve(ctx, srv, newDrain(), lis, grace) }()
	return done
}

// waitEntered waits for n calls to reach the handler, failing early if
// serve returns first.
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

func TestStep5_GracefulStopFinishesCallsInFlight(t *testing.T) {
	const calls = 5
	g := slowGreeter{entered: make(chan string, calls), release: make(chan struct{})}
	srv := grpc.NewServer()
	helloworld.RegisterGreeterServer(srv, g)
	lis := bufconn.Listen(1 << 20)
	t.Cleanup(srv.Stop)
	client := helloworld.NewGreeterClient(dialInMemory(t, lis))

	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	served := startServe(ctx, srv, lis, callTimeout)

	results := make(chan error, calls)
	for i := range calls {
		name, callCtx := fmt.Sprint("caller-", i), callContext(t)
		go func() {
			reply, err := client.SayHello(callCtx, &helloworld.HelloRequest{Name: name})
			if err == nil && reply.GetMessage() != "Hello, "+name+"!" {
				err = fmt.Errorf("reply %q", reply.GetMessage())
			}
			results <- err
		}()
	}
	waitEntered(t, g, calls, served)

	stop() // what SIGINT or SIGTERM does in main
	select {
	case err := <-served:
		t.Fatalf("serve returned (%v) while %d calls were still running; after ctx is done, call srv.GracefulStop(), which waits for them", err, calls)
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

	_, err := client.SayHello(callContext(t), &helloworld.HelloRequest{Name: "late"})
	if status.Code(err) != codes.Unavailable {
		t.Errorf("a call after the stop got %v; want code Unavailable, the server is gone", err)
	}
}

func TestStep5_StopsAfterGracePeriod(t *testing.T) {
	const grace = 200 * time.Millisecond
	g := slowGreeter{entered: make(chan string, 1), release: make(chan struct{})} // never released
	srv := grpc.NewServer()
	helloworld.RegisterGreeterServer(srv, g)
	lis := bufconn.Listen(1 << 20)
	t.Cleanup(srv.Stop)
	client := helloworld.NewGreeterClient(dialInMemory(t, lis))

	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	served := startServe(ctx, srv, lis, grace)

	result := make(chan error, 1)
	// The stuck call's own deadline is far off, so only serve can end it.
	callCtx, cancelCall := context.WithTimeout(t.Context(), 6*callTimeout)
	defer cancelCall()
	go func() {
		_, err := client.SayHello(callCtx, &helloworld.HelloRequest{Name: "stuck"})
		result <- err
	}()
	waitEntered(t, g, 1, served)

	stopped := time.Now()
	stop()
	select {
	case err := <-served:
		if err == nil {
			t.Errorf("serve returned nil after cancelling a call; return an error that says calls were cut short")
		}
		if waited := time.Since(stopped); waited < grace {
			t.Errorf("serve stopped after %v, before the grace period of %v; give the calls in flight their chance", waited, grace)
		}
	case <-time.After(grace + callTimeout):
		t.Fatalf("serve still waits %v after a grace period of %v; when the grace period is over, call srv.Stop()", grace+callTimeout, grace)
	}
	select {
	case err := <-result:
		if err == nil {
			t.Errorf("the stuck call succeeded; want it cancelled by srv.Stop()")
		}
	case <-time.After(callTimeout):
		t.Fatalf("the stuck call still runs %v after serve returned; srv.Stop() should cancel it", callTimeout)
	}
}

func TestStep5_ReturnsServeError(t *testing.T) {
	srv := grpc.NewServer()
	lis := bufconn.Listen(1 << 20)
	lis.Close() // Serve fails at once on a closed listener
	select {
	case err := <-startServe(t.Context(), srv, lis, callTimeout):
		testkit.StopIfNotImplemented(t, err, "stop.go")
		if err == nil {
			t.Errorf("serve on a closed listener returned nil; want the error from srv.Serve(lis)")
		}
	case <-time.After(callTimeout):
		t.Fatalf("serve on a closed listener still runs after %v; when srv.Serve fails, return its error", callTimeout)
	}
}

// runAsMain is set in the environment of a copy of this test binary that
// runs main() instead of the tests: the program itself, as `go run .` starts it.
const runAsMain = "GREETER_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(testkit.Main(m))
}

func TestStep5_ProgramStopsOnSIGTERM(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SKIPPED on Windows, where Go cannot send a signal to another process (os.Process.Signal supports only Kill there). " +
			"TestStep5_ProgramStopsWhenCancelled stands in for it: it runs the program's listenAndServe in this process and " +
			"cancels its context, which is what Ctrl-C does through signal.NotifyContext in main.")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*callTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), runAsMain+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the program: %v", err)
	}
	defer cmd.Process.Kill()

	// main logs `... addr=127.0.0.1:PORT` once it listens.
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
		t.Fatalf("the program exited before it served (main calls newServer from step 4, then serve from step 5); it printed:\n%s", log.String())
	}
	reply, err := helloworld.NewGreeterClient(dialTCP(t, addr)).SayHello(callContext(t), &helloworld.HelloRequest{Name: "you"})
	if err != nil || reply.GetMessage() != "Hello, you!" {
		cmd.Process.Kill()
		for lines.Scan() {
			log.WriteString(lines.Text() + "\n")
		}
		t.Fatalf("the program, started as `go run . -addr 127.0.0.1:0`, answered SayHello(\"you\") with (%q, %v); want \"Hello, you!\". It printed:\n%s",
			reply.GetMessage(), err, log.String())
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("sending SIGTERM: %v", err)
	}
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM the program ended with %v; want exit status 0 after a graceful stop. It printed:\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "stopped") {
		t.Errorf("after SIGTERM the program printed:\n%s\nwant a line saying it stopped", log.String())
	}
}

// TestStep5_ProgramStopsWhenCancelled is the program-level check that needs
// no signal, so it runs on every OS: main's listenAndServe, in this process,
// serves until its context is cancelled (what SIGINT or SIGTERM does through
// signal.NotifyContext), then returns nil after a graceful stop.
func TestStep5_ProgramStopsWhenCancelled(t *testing.T) {
	var log testkit.SyncBuffer
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	done := make(chan error, 1)
	go func() { done <- listenAndServe(ctx, "127.0.0.1:0", slog.New(slog.NewTextHandler(&log, nil))) }()

	// listenAndServe logs `... addr=127.0.0.1:PORT` once it listens.
	addr := ""
	for deadline := time.Now().Add(callTimeout); addr == "" && time.Now().Before(deadline); {
		select {
		case err := <-done:
			if _, _, ok := testkit.NotImplemented(err); ok {
				t.Fatalf("%v: listenAndServe needs newServer (server.go, step 4) and serve (stop.go, step 5); follow those steps in README.md", err)
			}
			t.Fatalf("listenAndServe returned %v before it was asked to stop (it calls newServer from step 4, then serve from step 5); it logged:\n%s", err, log.String())
		case <-time.After(10 * time.Millisecond):
		}
		if _, after, ok := strings.Cut(log.String(), " addr="); ok {
			addr = strings.Fields(after)[0]
		}
	}
	if addr == "" {
		t.Fatalf("after %v listenAndServe had not logged the address it listens on; it logged:\n%s", callTimeout, log.String())
	}
	conn := dialTCP(t, addr)
	reply, err := helloworld.NewGreeterClient(conn).SayHello(callContext(t), &helloworld.HelloRequest{Name: "you"})
	if err != nil || reply.GetMessage() != "Hello, you!" {
		t.Fatalf("the program's server answered SayHello(\"you\") with (%q, %v); want \"Hello, you!\". It logged:\n%s", reply.GetMessage(), err, log.String())
	}
	// A health Watch, the stream a load balancer keeps open: the stop must
	// tell it NOT_SERVING, then end it, and not wait for it. Its own deadline
	// is far off, so only the server can end it within the wait below.
	watchCtx, cancelWatch := context.WithTimeout(t.Context(), 4*callTimeout)
	defer cancelWatch()
	watch, err := healthpb.NewHealthClient(conn).Watch(watchCtx, &healthpb.HealthCheckRequest{})
	if err == nil {
		_, err = watch.Recv()
	}
	if err != nil {
		t.Fatalf("Health/Watch on the program's server: %v", err)
	}

	stop() // what SIGINT or SIGTERM does in main
	if next, err := watch.Recv(); err != nil || next.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Errorf("when the stop began, an open health Watch got (%v, %v); want NOT_SERVING: call d.health.Shutdown() first", next.GetStatus(), err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after its context was cancelled, listenAndServe returned %v; want nil after a graceful stop (main then exits with status 0)", err)
		}
	case <-time.After(callTimeout):
		t.Fatalf("listenAndServe still serves %v after its context was cancelled, with a health Watch open; after d.health.Shutdown(), call d.endStreams() so the Watch ends, then stop gracefully", callTimeout)
	}
}
