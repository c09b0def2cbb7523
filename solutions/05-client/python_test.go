package main

// The client against a Greeter written in Python
// (docs/examples/python/greeter_server.py, started by testkit.StartPythonGreeter):
// one .proto, two languages, the same bytes on the wire.

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// pythonGreeter is the one Python server that the tests of this package
// share; TestMain stops it.
var pythonGreeter struct {
	mu   sync.Mutex
	addr string
	stop func()
}

func TestMain(m *testing.M) {
	code := testkit.Main(m)
	if pythonGreeter.stop != nil {
		pythonGreeter.stop()
	}
	os.Exit(code)
}

// pythonServer returns the address of the Python Greeter, starting it the
// first time. It skips the test when there is no python3 with grpc.
func pythonServer(t *testing.T) string {
	t.Helper()
	pythonGreeter.mu.Lock()
	defer pythonGreeter.mu.Unlock()
	if pythonGreeter.addr != "" {
		return pythonGreeter.addr
	}
	python := testkit.Python(t)
	addr, stop, err := testkit.StartPythonGreeter(python)
	if err != nil {
		t.Fatalf("test setup: the Python Greeter did not start: %v", err)
	}
	pythonGreeter.addr, pythonGreeter.stop = addr, stop
	return addr
}

func TestStep2_PythonServer(t *testing.T) {
	addr := pythonServer(t)
	cfg := Config{Addr: addr, Name: "you", Timeout: 2 * time.Second, N: 1}

	code, stdout, stderr, _ := runClient(t, cfg)
	if code != 0 {
		t.Fatalf("Run against the Python Greeter at %s returned exit code %d; it printed on stderr: %s", addr, code, firstLine(stderr))
	}
	if diff := cmp.Diff("Greeter client received: Hello, you!\n", stdout); diff != "" {
		t.Errorf("Run against the Python Greeter printed on stdout (-want +got):\n%s", diff)
	}
}

func TestStep3_PythonServerError(t *testing.T) {
	addr := pythonServer(t)
	cfg := Config{Addr: addr, Name: "", Timeout: 2 * time.Second, N: 1}

	code, stdout, stderr, _ := runClient(t, cfg)
	if code == 0 {
		t.Fatalf("Run -name '' against the Python Greeter returned exit code 0 and printed %q: it answers InvalidArgument, so Run must print the advice and return 1", firstLine(stdout))
	}
	if want := "name is empty (said the Python server): send a name"; !strings.Contains(stderr, want) {
		t.Errorf("Run -name '' against the Python Greeter printed on stderr: %q\nit should contain the server's message %q (codes.InvalidArgument)", firstLine(stderr), want)
	}
}

func TestStep4_PythonServerSharesConnection(t *testing.T) {
	addr := pythonServer(t)
	cfg := Config{Addr: addr, Name: "you", Timeout: 2 * time.Second, N: 2}

	code, stdout, stderr, _ := runClient(t, cfg)
	if code != 0 {
		t.Fatalf("Run -n 2 against the Python Greeter at %s returned exit code %d; it printed on stderr: %s", addr, code, firstLine(stderr))
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("Run -n 2 against the Python Greeter printed %d lines, want 2 greetings, then the line Summary(results) returns:\n%s", len(lines), stdout)
	}
	summary := lines[2]
	// The client's port is chosen by the system: check around it.
	prefix := "2 calls shared 1 connection (127.0.0.1:"
	suffix := " -> " + addr + "); the server echoed 2 of 2 request ids"
	if !strings.HasPrefix(summary, prefix) || !strings.HasSuffix(summary, suffix) {
		t.Errorf("Run -n 2 against the Python Greeter summed up:\n  %s\nwant:\n  %sPORT%s\nboth calls must go over one connection with their own request id", summary, prefix, suffix)
	}
}
