// Package testkit holds the few helpers that the chapters' tests share. A
// chapter's tests are byte-identical to its solution's, so anything that
// depends on where the test runs (the repository's root, a Python
// interpreter) is found here rather than written as a relative path.
package testkit

import (
	"bytes"
	"os/exec"
	"sync"
	"testing"

	"github.com/rpcworkshop/workshop/internal/course"
)

// Root returns the workshop's root folder, found upward from the current
// directory.
func Root(t testing.TB) string {
	t.Helper()
	root, err := course.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// Python returns a Python interpreter that can import grpc, or skips the
// test with a message saying how to get one. It tries python3 on PATH, then
// the system's /usr/bin/python3 (where Debian's python3-grpcio installs).
func Python(t testing.TB) string {
	t.Helper()
	candidates := []string{"python3", "/usr/bin/python3", "python"}
	for _, c := range candidates {
		path, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import grpc").Run() == nil {
			return path
		}
	}
	t.Skip("SKIPPED the cross-language check: no python3 with the grpc module was found.\n" +
		"Install it to run this test: sudo apt-get install -y python3-grpcio (Debian/Ubuntu) or pip install grpcio")
	return ""
}

// SyncBuffer is a bytes.Buffer that one goroutine (a server's logger, a
// child process's output) may write while the test reads it.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
