package main

// The two streaming methods across languages: a Python client calls your
// Greeter, your collect and chat call a Python Greeter
// (testdata/greeter_client.py and docs/examples/python/greeter_server.py,
// grpcio with no generated code).

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
)

func TestStep3_PythonClient(t *testing.T) {
	python := testkit.Python(t)
	srv := grpc.NewServer()
	helloworld.RegisterGreeterServer(srv, &Greeter{})
	addr := serveTCP(t, srv)

	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"stream", "Ada"}, []string{"Hello, Ada!", "Bonjour, Ada!", "Hola, Ada!", "Hallo, Ada!", "Ciao, Ada!", "Olá, Ada!", "Привет, Ada!", "你好, Ada!"}},
		{[]string{"bidi", "Ada", "Grace", "Linus"}, []string{"Hello, Ada!", "Hello, Grace!", "Hello, Linus!"}},
	} {
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		args := append([]string{filepath.Join("testdata", "greeter_client.py"), addr}, tc.args...)
		out, err := exec.CommandContext(ctx, python, args...).CombinedOutput()
		cancel()
		if strings.Contains(string(out), "not implemented yet") {
			t.Fatalf("the Python client got: %s\nFinish steps 1 and 3 in greeter.go first", strings.TrimSpace(string(out)))
		}
		if err != nil {
			t.Fatalf("%s %s failed: %v\n%s", python, strings.Join(args, " "), err, out)
		}
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			got = append(got, strings.TrimPrefix(line, "Greeter client received: "))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("the Python client (%s) printed the wrong replies (-want +got):\n%s", tc.args[0], diff)
		}
	}
}

func TestStep3_PythonServer(t *testing.T) {
	python := testkit.Python(t)
	addr, stop, err := testkit.StartPythonGreeter(python)
	if err != nil {
		t.Fatalf("test setup: the Python Greeter did not start: %v", err)
	}
	t.Cleanup(stop)
	client := helloworld.NewGreeterClient(dialTCP(t, addr))

	got, err := collect(callContext(t), client, "Ada", 0)
	testkit.StopIfNotImplemented(t, err, "client.go")
	if err != nil || len(got) != 8 || got[1] != "Bonjour, Ada!" {
		t.Errorf("collect from the Python server returned %q, %v; want 8 greetings, the second \"Bonjour, Ada!\"", got, err)
	}
	got, err = collect(callContext(t), client, "Ada", 2)
	if err != nil || len(got) != 2 {
		t.Errorf("collect(max 2) from the Python server returned %q, %v; want 2 greetings and nil", got, err)
	}
	got, err = chat(callContext(t), client, []string{"Ada", "Grace"})
	testkit.StopIfNotImplemented(t, err, "client.go")
	if diff := cmp.Diff([]string{"Hello, Ada!", "Hello, Grace!"}, got); err != nil || diff != "" {
		t.Errorf("chat with the Python server returned %v and the wrong replies (-want +got):\n%s", err, diff)
	}
}
