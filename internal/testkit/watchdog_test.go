package testkit

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixtureBudget is the budget the fixtures run with: short, so the test is.
const fixtureBudget = 2 * time.Second

// buildFixture compiles the tests of testdata/<name> once.
func buildFixture(t *testing.T, name string) (bin, dir string) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	bin = filepath.Join(t.TempDir(), name+".test")
	out, err := exec.Command("go", "test", "-c", "-o", bin, "./testdata/"+name).CombinedOutput()
	if err != nil {
		t.Fatalf("building the fixture %s: %v\n%s", name, err, out)
	}
	return bin, dir
}

// runFixture runs one fixture's tests as plain go test does (-test.timeout=10m0s)
// and returns what it printed, how long it took and its exit code.
func runFixture(t *testing.T, bin, dir string, env []string, args ...string) (string, time.Duration, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running the fixture: %v", err)
	}
	return out.String(), time.Since(start), code
}

func TestWatchdogCatchesEachHang(t *testing.T) {
	if testing.Short() {
		t.Skip("builds fixtures; skipped with -short")
	}
	t.Parallel()
	hang, hangDir := buildFixture(t, "hang")
	grpcHang, grpcDir := buildFixture(t, "hanggrpc")
	cases := []struct {
		name, bin, dir, run string
		want                []string
	}{
		{"bare receive", hang, hangDir, "^TestStep1_", []string{"TestStep1_BareReceive (step 1) is still running", "code.go:15, in WaitForReply  [chan receive]", "The test waits at hang_test.go:"}},
		{"select {}", hang, hangDir, "^TestStep2_", []string{"TestStep2_SelectForever (step 2)", "code.go:20, in SelectForever  [select (no cases)]"}},
		{"spin at EOF", hang, hangDir, "^TestStep3_", []string{"TestStep3_SpinAtEOF (step 3)", "in ReadAll"}},
		{"handler ignores ctx", grpcHang, grpcDir, "^TestStep1_", []string{"TestStep1_HandlerIgnoresContext (step 1)", "greeter.go:18, in (*Greeter).SayHello  [chan receive]", "its cleanup waits in grpc.(*Server).GracefulStop"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, took, code := runFixture(t, c.bin, c.dir, []string{BudgetEnv + "=" + fixtureBudget.String()}, "-test.timeout=10m0s", "-test.run", c.run)
			if code == 0 {
				t.Fatalf("the hanging fixture passed; it printed:\n%s", out)
			}
			if took > fixtureBudget+5*time.Second {
				t.Errorf("the watchdog took %v to stop a hang; the budget is %v", took.Round(time.Millisecond), fixtureBudget)
			}
			for _, w := range append(c.want, "--- FAIL: ", "the code is blocked", "For the whole goroutine dump, run: go test -run") {
				if !strings.Contains(out, w) {
					t.Errorf("the watchdog's message lacks %q; it printed:\n%s", w, out)
				}
			}
		})
	}
	t.Run("quick test", func(t *testing.T) {
		t.Parallel()
		out, _, code := runFixture(t, hang, hangDir, []string{BudgetEnv + "=" + fixtureBudget.String()}, "-test.timeout=10m0s", "-test.run", "^TestStep4_")
		if code != 0 {
			t.Errorf("a quick test failed under the watchdog:\n%s", out)
		}
	})
	// Given a -timeout of its own, go test's timeout applies, not the budget.
	t.Run("explicit -timeout", func(t *testing.T) {
		t.Parallel()
		out, took, code := runFixture(t, hang, hangDir, []string{BudgetEnv + "="}, "-test.timeout=3s", "-test.run", "^TestStep2_")
		if code == 0 || !strings.Contains(out, "panic: test timed out after 3s") || strings.Contains(out, "the code is blocked") {
			t.Errorf("with -timeout 3s, want Go's own timeout after 3s (exit %d, %v); it printed:\n%s", code, took, out)
		}
	})
}
