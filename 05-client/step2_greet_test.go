package main

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

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
