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
	bin := workshopBinary(t)
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

// TestCtrlCStopsVerify presses Ctrl-C while verify waits on a skeleton test
// that hangs: verify stops at once, with every process it started, says
// "interrupted", exits 130, and reports no check as failed, since none of
// them was allowed to finish.
func TestCtrlCStopsVerify(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sending os.Interrupt to a process is not supported on Windows")
	}
	t.Parallel()
	bin := workshopBinary(t)
	root := fixture(t)
	greet := filepath.Join(root, "01-sample", "greet.go")
	src, err := os.ReadFile(greet)
	if err != nil {
		t.Fatal(err)
	}
	hang := strings.Replace(string(src), `return "", errors.New("step 1: Greet is not implemented yet")`, "select {}", 1)
	if err := os.WriteFile(greet, []byte(hang), 0o644); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr testkit.SyncBuffer
	cmd := exec.Command(bin, "verify", "-quick")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()

	waitFor(t, &stderr, "01-sample: running the skeleton's tests", 2*time.Minute)
	time.Sleep(time.Second) // go test is now building or running the hanging test
	pressed := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if code := cmd.ProcessState.ExitCode(); code != 130 {
			t.Errorf("after Ctrl-C, verify exited with %v; want exit code 130\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("verify did not exit within 10s of Ctrl-C; it printed:\n%s", stderr.String())
	}
	if took := time.Since(pressed); took > 5*time.Second {
		t.Errorf("verify took %v to stop after Ctrl-C; it must stop at once", took.Round(time.Millisecond))
	}
	if !strings.HasSuffix(stderr.String(), "interrupted\n") {
		t.Errorf("verify did not end by saying it was interrupted; stderr:\n%s", stderr.String())
	}
	if strings.Contains(stdout.String(), "FAIL") || strings.Contains(stdout.String(), "passed") {
		t.Errorf("an interrupted verify printed a report, as if its cut-short checks had run:\n%s", stdout.String())
	}
	if runtime.GOOS == "linux" {
		if left := processesIn(root); len(left) > 0 {
			t.Errorf("processes verify started still run after it exited:\n%s", strings.Join(left, "\n"))
		}
	}
}

// processesIn lists the processes whose command line names dir (Linux).
func processesIn(dir string) []string {
	var found []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		line := strings.ReplaceAll(string(cmdline), "\x00", " ")
		cwd, _ := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if strings.Contains(line, dir) || strings.HasPrefix(cwd, dir) {
			found = append(found, e.Name()+": "+line)
		}
	}
	return found
}
