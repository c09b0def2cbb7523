package docserve

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/testkit"
)

// lockedBuffer is a bytes.Buffer that Run writes to while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRunServesUntilCancelled runs `workshop docs -addr 127.0.0.1:0` from a
// chapter's folder, fetches the address it prints, and stops it.
func TestRunServesUntilCancelled(t *testing.T) {
	root := testkit.Root(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"-addr", "127.0.0.1:0"}, filepath.Join(root, "docs"), &stdout, &stderr)
	}()

	var url string
	for deadline := time.Now().Add(5 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, rest, ok := strings.Cut(stdout.String(), "at "); ok {
			url, _, _ = strings.Cut(rest, " ")
		}
	}
	if url == "" {
		t.Fatalf("Run printed no address within 5s; stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/docs/") {
		t.Errorf("Run printed the address %q; want http://127.0.0.1:PORT/docs/", url)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<h1") {
		t.Errorf("GET %s: %d; want 200 and the docs' index", url, resp.StatusCode)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("Run returned %d after Ctrl-C; want 0 (stderr: %s)", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of its context ending")
	}
}

func TestRunUsage(t *testing.T) {
	root := testkit.Root(t)
	for _, tt := range []struct {
		args []string
		want int
		says string
	}{
		{[]string{"-h"}, 0, "usage: go run ./cmd/workshop docs"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-port", "1"}, 2, "flag provided but not defined: -port"},
		{[]string{"-addr", "127.0.0.1:99999"}, 1, "Pick another: go run ./cmd/workshop docs -addr localhost:0"},
	} {
		var stdout, stderr lockedBuffer
		code := Run(context.Background(), tt.args, root, &stdout, &stderr)
		if code != tt.want || !strings.Contains(stderr.String(), tt.says) {
			t.Errorf("workshop docs %q: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr.String(), tt.want, tt.says)
		}
	}
	var stdout, stderr lockedBuffer
	if code := Run(context.Background(), nil, t.TempDir(), &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "not inside the workshop") {
		t.Errorf("workshop docs outside the workshop: exit %d, stderr %q; want 1 and a message", code, stderr.String())
	}
}
