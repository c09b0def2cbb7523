package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc/metadata"
)

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
