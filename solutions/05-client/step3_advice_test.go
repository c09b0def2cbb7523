package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

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
