package main

import (
	"github.com/rpcworkshop/workshop/internal/testkit"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestCtrlCStopsWatch runs the real command as a student would, piped, and
// presses Ctrl-C (sends SIGINT) while it watches.
func TestCtrlCStopsWatch(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sending os.Interrupt to a process is not supported on Windows")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "workshop")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := fixture(t)

	var out testkit.SyncBuffer
	cmd := exec.Command(bin, "watch", "01")
	cmd.Dir = filepath.Join(root, "01-sample")
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "NO_COLOR=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()

	waitFor(t, &out, "Watching 01-sample for changes...", time.Minute)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after Ctrl-C, watch exited with %v; want exit code 0\n%s", err, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("watch did not exit within 10s of Ctrl-C; it printed:\n%s", out.String())
	}
	if !strings.HasSuffix(out.String(), "Stopped watching.\n") {
		t.Errorf("watch did not say it stopped; it printed:\n%s", out.String())
	}
	if strings.Contains(out.String(), "\033[") {
		t.Errorf("piped output holds colour codes:\n%q", out.String())
	}
}
