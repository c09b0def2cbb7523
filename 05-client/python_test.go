package main

// The client against a Greeter written in Python (testdata/greeter_server.py):
// one .proto, two languages, the same bytes on the wire.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
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
	addr, stop, err := startPython(python, "testdata/greeter_server.py")
	if err != nil {
		t.Fatalf("test setup: the Python Greeter did not start: %v", err)
	}
	pythonGreeter.addr, pythonGreeter.stop = addr, stop
	return addr
}

// startPython starts script, reads the port it prints, and returns its
// address and a function that stops it. The script also exits when its
// stdin closes, so it does not outlive a test binary that is killed.
func startPython(python, script string) (addr string, stop func(), err error) {
	cmd := exec.Command(python, script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop = func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}

	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		if port, err := strconv.Atoi(s); err == nil && port > 0 {
			return fmt.Sprintf("127.0.0.1:%d", port), stop, nil
		}
		stop()
		return "", nil, fmt.Errorf("%s printed %q instead of its port; its stderr: %s", script, s, stderr.String())
	case <-time.After(15 * time.Second):
		stop()
		return "", nil, fmt.Errorf("%s printed no port within 15s; its stderr: %s", script, stderr.String())
	}
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
