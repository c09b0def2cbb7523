package docserve

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rpcworkshop/workshop/internal/testkit"
)

// TestRunServesUntilCancelled runs `workshop docs -addr 127.0.0.1:0` from a
// chapter's folder, fetches the address it prints, and stops it.
func TestRunServesUntilCancelled(t *testing.T) {
	root := testkit.Root(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr testkit.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, "127.0.0.1:0", filepath.Join(root, "docs"), &stdout, &stderr)
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

func TestRunCannotServe(t *testing.T) {
	root := testkit.Root(t)
	var stdout, stderr testkit.SyncBuffer
	if code := Run(context.Background(), "127.0.0.1:99999", root, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "Pick another: go run ./cmd/workshop docs -addr localhost:0") {
		t.Errorf("workshop docs -addr 127.0.0.1:99999: exit %d, stderr %q; want exit 1 and a port to pick", code, stderr.String())
	}
	stderr = testkit.SyncBuffer{}
	if code := Run(context.Background(), "localhost:0", t.TempDir(), &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "not inside the workshop") {
		t.Errorf("workshop docs outside the workshop: exit %d, stderr %q; want 1 and a message", code, stderr.String())
	}
}

func TestDocsURLs(t *testing.T) {
	bound := &net.TCPAddr{IP: net.IPv4zero, Port: 6060}
	ips := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("192.168.1.23"), net.ParseIP("fe80::1"), net.ParseIP("2001:db8::7"), net.ParseIP("::1")}
	for _, tt := range []struct {
		addr string
		want []string
	}{
		{"localhost:6060", []string{"http://localhost:6060/docs/"}},
		{"127.0.0.1:0", []string{"http://127.0.0.1:6060/docs/"}},
		{"192.168.1.23:6060", []string{"http://192.168.1.23:6060/docs/"}},
		{"0.0.0.0:6060", []string{"http://localhost:6060/docs/", "http://192.168.1.23:6060/docs/"}},
		{":6060", []string{"http://localhost:6060/docs/", "http://192.168.1.23:6060/docs/", "http://[2001:db8::7]:6060/docs/"}},
		{"[::]:6060", []string{"http://localhost:6060/docs/", "http://192.168.1.23:6060/docs/", "http://[2001:db8::7]:6060/docs/"}},
	} {
		got := docsURLs(tt.addr, bound, ips)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("-addr %s: the addresses printed (-want +got):\n%s", tt.addr, diff)
		}
	}
}
