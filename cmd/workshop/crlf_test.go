package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/testkit"
)

// inCRLFCopy is set in the environment of the tests that TestCRLFCheckout
// runs inside its copy, so that the copy does not clone itself again.
const inCRLFCopy = "WORKSHOP_TEST_IN_CRLF_COPY"

// TestCRLFCheckout clones the workshop the way Git for Windows does by
// default (core.autocrlf=true), into a temporary folder. The repository's
// .gitattributes makes even that clone LF, so the test then turns every file
// but Go source into CRLF itself, as an editor or an older clone might: Go
// source is left LF, which gofmt requires and .gitattributes guarantees.
// There it runs reset, hint and docs, and the workshop's own tests, which
// parse go.mod, course.json, the snapshot, READMEs, hints and .proto files.
// It clones the last commit: uncommitted changes are not in the copy.
func TestCRLFCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED with -short: this test clones the workshop and runs its tests again there (about two minutes)")
	}
	if os.Getenv(inCRLFCopy) != "" {
		t.Skip("SKIPPED inside the CRLF copy that TestCRLFCheckout made")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("SKIPPED: git is not installed, so there is no repository to clone with core.autocrlf=true")
	}
	root := testkit.Root(t)
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skipf("SKIPPED: %s is not a git checkout (a downloaded archive?), so there is nothing to clone", root)
	}
	dir := filepath.Join(t.TempDir(), "crlf")
	// safe.directory: a CI checkout may belong to another user than the test.
	clone := exec.Command(git, "-c", "safe.directory=*", "-c", "core.autocrlf=true",
		"clone", "--quiet", "--config", "core.autocrlf=true", root, dir)
	if out, err := clone.CombinedOutput(); err != nil {
		shallow, _ := exec.Command(git, "-C", root, "rev-parse", "--is-shallow-repository").Output()
		if strings.TrimSpace(string(shallow)) == "true" {
			t.Skipf("SKIPPED: this git cannot clone a shallow repository (%v: %s); clone the workshop in full to run this test", err, out)
		}
		t.Fatalf("git clone with core.autocrlf=true: %v\n%s", err, out)
	}
	if n := toCRLF(t, dir); n < 10 {
		t.Fatalf("only %d files turned into CRLF: the copy is not what a Windows checkout looks like", n)
	}

	bin := filepath.Join(t.TempDir(), "workshop")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin, "./cmd/workshop")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/workshop in the CRLF copy: %v\n%s", err, out)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("workshop %s in a CRLF checkout: %v\n%s", strings.Join(args, " "), err, out)
		}
		if bytes.Contains(out, []byte("\r")) {
			t.Errorf("workshop %s in a CRLF checkout printed a CR (its input's line ends leak into its output):\n%q", strings.Join(args, " "), out)
		}
		return string(out)
	}

	t.Run("reset", func(t *testing.T) {
		run("reset", "01", "-y")
		for _, name := range []string{"codec.go", "frame.go", "server.go", "client.go", "netrpc.go"} {
			data, err := os.ReadFile(filepath.Join(dir, "01-rpc-basics", name))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte("\r\n")) {
				t.Errorf("after reset, 01-rpc-basics/%s has CRLF line ends; reset should write the LF files the repository holds", name)
			}
		}
	})
	t.Run("hint", func(t *testing.T) {
		if out := run("hint", "01", "1"); !strings.Contains(out, "Hint 1 of") {
			t.Errorf("workshop hint 01 1 in a CRLF checkout printed no first hint:\n%s", out)
		}
	})
	t.Run("docs", func(t *testing.T) { checkDocsServe(t, bin, dir) })
	t.Run("tests", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "test", "-count=1",
			"./cmd/...", "./internal/...", "./helloworld/...", "./solutions/03-codegen")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), inCRLFCopy+"=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the workshop's own tests fail in a CRLF copy of the last commit (%v). A test that passes in the repository "+
				"but fails here reads a file that does not tolerate CR line ends; one that fails in both, fix there first:\n%s", err, lastLines(string(out), 60))
		}
	})
}

// toCRLF rewrites every text file under dir, except Go source and the git
// folder, with CRLF line ends, and returns how many it changed.
func toCRLF(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil || bytes.IndexByte(data, 0) >= 0 { // binary
			return err
		}
		crlf := bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
		if bytes.Equal(crlf, data) {
			return nil
		}
		n++
		return os.WriteFile(path, crlf, 0o666)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkDocsServe starts workshop docs in dir, reads a page and stops it.
func checkDocsServe(t *testing.T, bin, dir string) {
	cmd := exec.Command(bin, "docs", "-addr", "127.0.0.1:0")
	cmd.Dir = dir
	var stdout, stderr testkit.SyncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, rest, ok := strings.Cut(stdout.String(), " at "); ok {
			url, _, _ = strings.Cut(rest, " ")
		}
	}
	if url == "" {
		t.Fatalf("workshop docs in a CRLF checkout printed no address within 10s; stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("<h1")) {
		t.Errorf("GET %s from workshop docs in a CRLF checkout: status %d; want 200 and the docs' index\n%s", url, resp.StatusCode, body)
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
