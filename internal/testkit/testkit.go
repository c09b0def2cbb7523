// Package testkit holds the few helpers that the chapters' tests share. A
// chapter's tests are byte-identical to its solution's, so anything that
// depends on where the test runs (the repository's root, a Python
// interpreter) is found here rather than written as a relative path.
package testkit

import (
	"bytes"
	"os/exec"
	"strings"
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

// Python returns the path of a Python 3 interpreter that can import grpc,
// or skips the test with a message saying how to get one. It tries python3
// and python on PATH, the Windows launcher py -3 (whose interpreter it asks
// for its path), then the system's /usr/bin/python3 (where Debian's
// python3-grpcio installs).
func Python(t testing.TB) string {
	t.Helper()
	for _, c := range [][]string{{"python3"}, {"python"}, {"py", "-3"}, {"/usr/bin/python3"}} {
		path, err := exec.LookPath(c[0])
		if err != nil {
			continue
		}
		// Ask the interpreter where it is: for py -3 that is the python.exe
		// it starts, a path the caller can run with arguments of its own.
		out, err := exec.Command(path, append(c[1:], "-c", "import grpc, sys; print(sys.executable)")...).Output()
		if exe := strings.TrimSpace(string(out)); err == nil && exe != "" {
			return exe
		}
	}
	t.Skip("SKIPPED the cross-language check: no Python 3 with the grpc module was found (tried python3, python, py -3).\n" +
		"Install grpcio to run this test, then run it again:\n" +
		"  Debian/Ubuntu:  sudo apt-get install -y python3-grpcio   (or python3 -m pip install grpcio)\n" +
		"  macOS:          python3 -m pip install --user grpcio   (with Homebrew's Python: in an activated venv)\n" +
		"  Windows:        py -3 -m pip install grpcio")
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
