package docstest

import (
	"bufio"
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// The Python examples of docs/cross-language.md, run against Go.

type greeter struct {
	helloworld.UnimplementedGreeterServer
}

func (greeter) SayHello(_ context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}

func TestPythonClientCallsGoServer(t *testing.T) {
	python := testkit.Python(t)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	helloworld.RegisterGreeterServer(s, greeter{})
	go s.Serve(lis)
	defer s.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	script := filepath.Join(testkit.Root(t), "04-server", "testdata", "greeter_client.py")
	out, err := exec.CommandContext(ctx, python, script, lis.Addr().String(), "you").CombinedOutput()
	if err != nil {
		t.Fatalf("%s failed: %v\n%s", script, err, out)
	}
	if got, want := string(out), "Greeter client received: Hello, you!\n"; got != want {
		t.Errorf("the Python client printed %q, want %q (docs/cross-language.md shows it)", got, want)
	}
}

func TestGoClientCallsPythonServer(t *testing.T) {
	python := testkit.Python(t)
	script := filepath.Join(testkit.Root(t), testkit.PythonGreeterScript)
	cmd := exec.Command(python, script, "--exit-on-stdin-close", "127.0.0.1:0")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	defer func() {
		// Windows cannot send a signal to another process (os.Process.Signal
		// supports only Kill there): closing the server's stdin stands in
		// for SIGTERM, and the server stops the same graceful way.
		how := "SIGTERM"
		if runtime.GOOS == "windows" {
			how = "its stdin closing"
			stdin.Close()
		} else {
			cmd.Process.Signal(syscall.SIGTERM)
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("the Python server did not exit cleanly on %s: %v", how, err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("the Python server did not stop within 10s of %s", how)
		}
	}()

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		exited <- cmd.Wait()
	}()
	var addr string
	select {
	case line := <-lines:
		var ok bool
		addr, ok = strings.CutPrefix(strings.TrimSpace(line), "Python Greeter server listening on ")
		if !ok {
			t.Fatalf("the Python server's first line is %q; want %q", line, "Python Greeter server listening on host:port")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the Python server printed nothing within 20s")
	}

	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := helloworld.NewGreeterClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	reply, err := client.SayHello(ctx, &helloworld.HelloRequest{Name: "you"})
	if err != nil {
		t.Fatalf("SayHello on the Python server: %v", err)
	}
	if got := reply.GetMessage(); got != "Hello, you!" {
		t.Errorf("the Python server answered %q, want %q", got, "Hello, you!")
	}
	_, err = client.SayHello(ctx, &helloworld.HelloRequest{})
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("an empty name on the Python server: %v, want InvalidArgument", err)
	}
}
