package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// runClient runs Run as main would, and ends the test with one line when
// Run reports an unfinished step.
func runClient(t *testing.T, cfg Config, dialOpts ...grpc.DialOption) (code int, stdout, stderr string, elapsed time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	start := time.Now()
	code = Run(ctx, cfg, &out, &errOut, dialOpts...)
	elapsed = time.Since(start)
	if msg, step, ok := testkit.NotImplemented(errors.New(errOut.String())); ok {
		t.Fatalf("Run printed %q: follow step %d in README.md", msg, step)
	}
	return code, out.String(), errOut.String(), elapsed
}

func TestStep1_DialIsLazy(t *testing.T) {
	// Nothing listens at these targets: a lazy Dial does not notice.
	for _, target := range []string{
		"localhost:50051",
		"dns:///localhost:50051",
		"passthrough:///127.0.0.1:50051",
		"127.0.0.1:1",
	} {
		start := time.Now()
		conn, err := Dial(target)
		elapsed := time.Since(start)
		testkit.StopIfNotImplemented(t, err, "dial.go")
		if err != nil {
			t.Fatalf("Dial(%q) returned an error: %v\nuse grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))", target, err)
		}
		if conn == nil {
			t.Fatalf("Dial(%q) returned a nil connection and no error: return what grpc.NewClient returns", target)
		}
		state := conn.GetState()
		got := conn.Target()
		conn.Close()
		if elapsed > time.Second {
			t.Errorf("Dial(%q) took %v: grpc.NewClient returns at once and connects on the first call; do not wait for the connection", target, elapsed.Round(time.Millisecond))
		}
		if state != connectivity.Idle {
			t.Errorf("Dial(%q) left the connection %v, want IDLE: grpc.NewClient is lazy, let the first call connect (no Connect, no waiting)", target, state)
		}
		if got != target {
			t.Errorf("Dial(%q) made a connection to target %q: pass target to grpc.NewClient unchanged", target, got)
		}
		if t.Failed() {
			return // one target is enough to show the problem
		}
	}
}

func TestStep1_DialReachesServer(t *testing.T) {
	log := &callLog{}
	srv := startServer(t, hello(log, false))

	conn, err := Dial(testTarget, srv.dialOpts...)
	testkit.StopIfNotImplemented(t, err, "dial.go")
	if err != nil {
		t.Fatalf("Dial returned an error: %v\nthe workshop's servers use no TLS: pass grpc.WithTransportCredentials(insecure.NewCredentials()) to grpc.NewClient", err)
	}
	defer conn.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	reply, err := helloworld.NewGreeterClient(conn).SayHello(ctx, &helloworld.HelloRequest{Name: "you"})
	if err != nil {
		t.Fatalf("a call over the connection from Dial failed: %v\npass the extra options to grpc.NewClient after the credentials: the test's in-memory dialer is one of them", err)
	}
	if got, want := reply.GetMessage(), "Hello, you!"; got != want {
		t.Fatalf("the call over Dial's connection returned %q, want %q", got, want)
	}
}

func TestStep2_Greet(t *testing.T) {
	for _, name := range []string{"you", "Gopher", "世界"} {
		log := &callLog{}
		client := startServer(t, hello(log, false)).client(t)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()

		got, err := Greet(ctx, client, name, time.Second)
		testkit.StopIfNotImplemented(t, err, "greet.go")
		if err != nil {
			t.Fatalf("Greet(%q) failed: %v", name, err)
		}
		if want := "Hello, " + name + "!"; got != want {
			t.Errorf("Greet(%q) = %q, want %q: return the reply's message (reply.GetMessage())", name, got, want)
		}
		calls := log.all()
		if len(calls) != 1 {
			t.Fatalf("Greet(%q) made %d calls, want 1: call client.SayHello once", name, len(calls))
		}
		c := calls[0]
		if c.Name != name {
			t.Errorf("the server received name %q, want %q: send &helloworld.HelloRequest{Name: name}", c.Name, name)
		}
		if !c.HasDeadline {
			t.Errorf("the call reached the server without a deadline: wrap ctx with context.WithTimeout(ctx, timeout) and call SayHello with the new ctx")
		} else if c.Left > time.Second {
			t.Errorf("the call's deadline was %v away, more than the 1s timeout: use context.WithTimeout(ctx, timeout)", c.Left.Round(time.Millisecond))
		}
		if t.Failed() {
			return // one name is enough to show the problem
		}
	}
}

func TestStep2_GreetDeadline(t *testing.T) {
	client := startServer(t, slow).client(t)
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
	defer cancel()

	const timeout = 200 * time.Millisecond
	start := time.Now()
	_, err := Greet(ctx, client, "you", timeout)
	elapsed := time.Since(start)
	testkit.StopIfNotImplemented(t, err, "greet.go")
	if err == nil {
		t.Fatal("Greet returned no error from a server that never answers: return SayHello's error")
	}
	if elapsed > 2*time.Second {
		t.Fatalf("Greet waited %v for a server that never answers, with a %v timeout: wrap ctx with context.WithTimeout(ctx, timeout)", elapsed.Round(time.Millisecond), timeout)
	}
	if got := status.Code(err); got != codes.DeadlineExceeded {
		t.Fatalf("Greet returned %v (code %v), want code DeadlineExceeded: return SayHello's error as it is, without wrapping it", err, got)
	}
}

func TestStep2_GreetPassesCallOptions(t *testing.T) {
	log := &callLog{}
	client := startServer(t, hello(log, true)).client(t)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	ctx = metadata.AppendToOutgoingContext(ctx, RequestIDKey, "test-1")

	var header metadata.MD
	_, err := Greet(ctx, client, "you", time.Second, grpc.Header(&header))
	testkit.StopIfNotImplemented(t, err, "greet.go")
	if err != nil {
		t.Fatalf("Greet failed: %v", err)
	}
	if calls := log.all(); len(calls) == 1 && len(calls[0].RequestIDs) == 0 {
		t.Fatal("Greet lost the metadata the caller put in ctx: build the call's context from ctx (context.WithTimeout(ctx, timeout)), not from context.Background()")
	}
	if got := header.Get(RequestIDKey); len(got) == 0 {
		t.Fatal("Greet dropped the call options it was given: pass opts... to client.SayHello")
	}
}

func TestStep2_RunPrintsGreeting(t *testing.T) {
	for _, name := range []string{"you", "Gopher"} {
		log := &callLog{}
		srv := startServer(t, hello(log, false))
		cfg := Config{Addr: testTarget, Name: name, Timeout: time.Second, N: 1}

		code, stdout, stderr, _ := runClient(t, cfg, srv.dialOpts...)
		if code != 0 {
			t.Fatalf("Run -name %s returned exit code %d, want 0; it printed on stderr: %s", name, code, firstLine(stderr))
		}
		want := "Greeter client received: Hello, " + name + "!\n"
		if diff := cmp.Diff(want, stdout); diff != "" {
			t.Errorf("Run -name %s printed on stdout (-want +got):\n%s", name, diff)
		}
		if len(log.all()) == 0 {
			t.Errorf("Run -name %s never called the server: dial cfg.Addr with Dial(cfg.Addr, dialOpts...) and call Greet", name)
		}
		if open := srv.lis.openAfter(2 * time.Second); open > 0 {
			t.Errorf("Run returned but left its connection open: defer conn.Close() right after Dial")
		}
		if t.Failed() {
			return // one name is enough to show the problem
		}
	}
}

func TestStep3_Advice(t *testing.T) {
	cfg := Config{Addr: "localhost:50051", Timeout: 1500 * time.Millisecond}
	other := Config{Addr: "10.1.2.3:6000", Timeout: time.Second}
	tests := []struct {
		name string
		cfg  Config
		err  error
		want []string // what the advice must contain
		hint string
	}{
		{"Unavailable", cfg, status.Error(codes.Unavailable, "connection refused"),
			[]string{"no server at localhost:50051: start one with go run ./04-server"},
			"for codes.Unavailable, say there is no server at cfg.Addr and how to start one"},
		{"Unavailable elsewhere", other, status.Error(codes.Unavailable, "connection refused"),
			[]string{"no server at 10.1.2.3:6000: start one with go run ./04-server"},
			"use cfg.Addr in the advice"},
		{"DeadlineExceeded", cfg, status.Error(codes.DeadlineExceeded, "context deadline exceeded"),
			[]string{"localhost:50051", "1.5s", "-timeout"},
			"for codes.DeadlineExceeded, say which server did not answer within cfg.Timeout, and suggest a longer -timeout"},
		{"InvalidArgument", cfg, status.Error(codes.InvalidArgument, "name is empty: send a name"),
			[]string{"name is empty: send a name"},
			"for codes.InvalidArgument, show the server's message: status.Convert(err).Message()"},
		{"NotFound", cfg, status.Error(codes.NotFound, "no greeting for Bob"),
			[]string{"NotFound", "no greeting for Bob"},
			"for any other code, show the code and the server's message"},
		{"PermissionDenied", other, status.Error(codes.PermissionDenied, "only friends may call"),
			[]string{"PermissionDenied", "only friends may call"},
			"for any other code, show the code and the server's message"},
		{"not a status", cfg, errors.New("disk on fire"),
			[]string{"disk on fire"},
			"status.Convert turns any error into a status (code Unknown): show its message"},
	}
	for _, tt := range tests {
		got := Advice(tt.cfg, tt.err)
		testkit.StopIfNotImplemented(t, errors.New(got), "advice.go")
		if strings.Contains(got, "rpc error:") {
			t.Errorf("Advice(%s, %v) = %q\nthat is err.Error(), written for programs; say it in a sentence: the code's name and the server's message, from status.Convert(err)", tt.cfg.Addr, tt.err, got)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("Advice(%s, %v) = %q\nit should contain %q: %s", tt.cfg.Addr, tt.err, got, w, tt.hint)
				break
			}
		}
	}
}

func TestStep3_RunExplainsFailure(t *testing.T) {
	type failure struct {
		name     string
		cfg      Config
		dialOpts []grpc.DialOption
		want     []string // what stderr must contain
	}
	down := Config{Addr: testTarget, Name: "you", Timeout: 2 * time.Second, N: 1}
	slowCfg := Config{Addr: testTarget, Name: "you", Timeout: 200 * time.Millisecond, N: 1}
	tests := []failure{
		{"server down", down, downServer(),
			[]string{"no server at " + testTarget + ": start one with go run ./04-server"}},
		{"slow server", slowCfg, startServer(t, slow).dialOpts,
			[]string{testTarget, "200ms", "-timeout"}},
	}
	// A server that answers each of the other codes (the name says which).
	failingOpts := startServer(t, failing).dialOpts
	for c := codes.Canceled; c <= codes.Unauthenticated; c++ {
		if c == codes.DeadlineExceeded || c == codes.Unavailable {
			continue // the slow server and the server that is down cover these
		}
		want := []string{c.String(), failMessage(c)}
		if c == codes.InvalidArgument {
			want = []string{failMessage(c)}
		}
		cfg := Config{Addr: testTarget, Name: c.String(), Timeout: time.Second, N: 1}
		tests = append(tests, failure{"server answers " + c.String(), cfg, failingOpts, want})
	}

	for _, tt := range tests {
		code, stdout, stderr, elapsed := runClient(t, tt.cfg, tt.dialOpts...)
		if code == 0 {
			t.Errorf("%s: Run returned exit code 0: when a call fails, print Advice(cfg, err) on stderr and return 1", tt.name)
			continue
		}
		if stdout != "" {
			t.Errorf("%s: Run printed %q on stdout: print a greeting only when the call succeeded", tt.name, firstLine(stdout))
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: Run printed on stderr: %q\nit should contain %q: print Advice(cfg, err) when a call fails (if you do, go test -run Step3_Advice says what Advice misses)", tt.name, firstLine(stderr), w)
				break
			}
		}
		if limit := tt.cfg.Timeout + time.Second; elapsed > limit {
			t.Errorf("%s: Run took %v with -timeout %v: it must give up within the timeout", tt.name, elapsed.Round(time.Millisecond), tt.cfg.Timeout)
		}
	}
}

func TestStep4_GreetWithID(t *testing.T) {
	for _, tt := range []struct {
		id   string
		echo bool // whether the server echoes the id
	}{
		{"req-42", true},
		{"7f3a9c", true},
		{"no-echo-1", false},
	} {
		log := &callLog{}
		client := startServer(t, hello(log, tt.echo)).client(t)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		// Metadata the caller has already set must travel too.
		ctx = metadata.AppendToOutgoingContext(ctx, traceKey, "trace-7")

		got, err := GreetWithID(ctx, client, "you", time.Second, tt.id)
		testkit.StopIfNotImplemented(t, err, "trace.go")
		if err != nil {
			t.Fatalf("GreetWithID(%q) failed: %v", tt.id, err)
		}
		calls := log.all()
		if len(calls) != 1 {
			t.Fatalf("GreetWithID made %d calls, want 1: call Greet once", len(calls))
		}
		if diff := cmp.Diff([]string{tt.id}, calls[0].RequestIDs); diff != "" {
			t.Fatalf("the server received x-request-id (-want +got):\n%s\nsend it with ctx = metadata.AppendToOutgoingContext(ctx, RequestIDKey, requestID)", diff)
		}
		if diff := cmp.Diff([]string{"trace-7"}, calls[0].Traces); diff != "" {
			t.Fatalf("the caller's own metadata (%s: trace-7, set on ctx before GreetWithID) did not reach the server (-want +got):\n%s\nmetadata.NewOutgoingContext replaces what ctx carries; metadata.AppendToOutgoingContext adds to it", traceKey, diff)
		}
		want := Result{Message: "Hello, you!", RequestID: tt.id, Local: "bufconn", Remote: "bufconn"}
		if tt.echo {
			want.Echoed = tt.id
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GreetWithID(%q) returned (-want +got):\n%s\nEchoed comes from the header (grpc.Header(&header)); Local and Remote from the peer (grpc.Peer(&p): p.LocalAddr and p.Addr)", tt.id, diff)
		}
	}
}

func TestStep4_RunSharesOneConnection(t *testing.T) {
	log := &callLog{}
	srv := startServer(t, hello(log, true))
	cfg := Config{Addr: testTarget, Name: "you", Timeout: time.Second, N: 3}

	code, stdout, stderr, _ := runClient(t, cfg, srv.dialOpts...)
	if code != 0 {
		t.Fatalf("Run -n 3 returned exit code %d, want 0; it printed on stderr: %s", code, firstLine(stderr))
	}
	calls := log.all()
	if len(calls) != 3 {
		t.Fatalf("Run -n 3 made %d call(s), want 3: call GreetWithID cfg.N times", len(calls))
	}
	if n := srv.lis.accepted(); n != 1 {
		t.Fatalf("Run -n 3 opened %d connections, want 1: dial once, before the loop, and make every call over that connection", n)
	}
	seen := map[string]bool{}
	for _, c := range calls {
		if len(c.RequestIDs) != 1 || c.RequestIDs[0] == "" || seen[c.RequestIDs[0]] {
			var ids [][]string
			for _, c := range calls {
				ids = append(ids, c.RequestIDs)
			}
			t.Fatalf("the 3 calls carried the request ids %q: send a fresh one with each call, GreetWithID(..., NewRequestID())", ids)
		}
		seen[c.RequestIDs[0]] = true
	}
	want := strings.Repeat("Greeter client received: Hello, you!\n", 3) +
		"3 calls shared 1 connection (bufconn -> bufconn); the server echoed 3 of 3 request ids\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("Run -n 3 printed on stdout (-want +got):\n%s\nprint each greeting, then, when cfg.N > 1, the line Summary(results) returns", diff)
	}

	// Only an id that came back equal to the one sent counts as echoed.
	mixed := []Result{
		{RequestID: "a", Echoed: "a", Local: "l1", Remote: "r"},
		{RequestID: "b", Local: "l1", Remote: "r"},
		{RequestID: "c", Echoed: "x", Local: "l2", Remote: "r"},
	}
	if got, want := Summary(mixed), "3 calls used 2 connections; the server echoed 1 of 3 request ids"; got != want {
		t.Errorf("Summary of 3 calls on 2 connections, one id echoed, one not echoed, one echoed wrong = %q; want %q: count the distinct Local -> Remote pairs, and the calls whose Echoed equals their RequestID", got, want)
	}
}
