package docserve

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/markdown"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// pages lists every page `workshop docs` must serve, as URL paths: the root
// README, every Markdown file under docs/, each chapter's README.
func pages(t *testing.T, root string) []string {
	t.Helper()
	urls := []string{"/", "/docs/"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(root, p)
			urls = append(urls, "/"+filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := course.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range c.Chapters {
		if _, err := os.Stat(filepath.Join(root, ch.Dir, "README.md")); err == nil {
			urls = append(urls, "/"+ch.Dir+"/")
		}
	}
	// The Chinese edition of the READMEs, where it exists.
	zh, _ := filepath.Glob(filepath.Join(root, "*", "README.zh-CN.md"))
	if _, err := os.Stat(filepath.Join(root, "README.zh-CN.md")); err == nil {
		zh = append(zh, filepath.Join(root, "README.zh-CN.md"))
	}
	for _, f := range zh {
		rel, _ := filepath.Rel(root, f)
		urls = append(urls, "/"+filepath.ToSlash(rel))
	}
	return urls
}

func get(t *testing.T, client *http.Client, url string) (int, string, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

var (
	hrefRE     = regexp.MustCompile(`href="([^"]*)"`)
	externalRE = regexp.MustCompile(`(?i)<script|<link |<iframe|@import|src="(https?:)?//|url\(`)
)

// TestServesEveryPage fetches every page as a browser would, checks that it
// is HTML that loads nothing from the network, and follows each of its
// relative links to a page that exists.
func TestServesEveryPage(t *testing.T) {
	root := testkit.Root(t)
	srv := httptest.NewServer(Handler(root))
	defer srv.Close()
	client := srv.Client()
	client.Timeout = 10 * time.Second

	followed := map[string]bool{}
	for _, page := range pages(t, root) {
		code, ctype, body := get(t, client, srv.URL+page)
		if code != http.StatusOK || !strings.HasPrefix(ctype, "text/html") {
			t.Errorf("GET %s: %d %s; want 200 text/html", page, code, ctype)
			continue
		}
		if m := externalRE.FindString(body); m != "" {
			t.Errorf("GET %s: the page loads something (%q); pages must work offline, with nothing fetched", page, m)
		}
		if !strings.Contains(body, "<h1") {
			t.Errorf("GET %s: no <h1> in the page; the Markdown did not render", page)
		}
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			href := strings.ReplaceAll(m[1], "&amp;", "&")
			if !markdown.IsRelative(href) && !strings.HasPrefix(href, "/") {
				continue
			}
			dest, _, _ := strings.Cut(href, "#")
			if !strings.HasPrefix(dest, "/") {
				base := page
				if !strings.HasSuffix(base, "/") {
					base = path.Dir(base) + "/"
				}
				joined := path.Join(base, dest)
				if strings.HasSuffix(dest, "/") && joined != "/" {
					joined += "/"
				}
				dest = joined
			}
			if followed[dest] {
				continue
			}
			followed[dest] = true
			if code, _, _ := get(t, client, srv.URL+dest); code != http.StatusOK {
				t.Errorf("GET %s: the link %q leads to %s, which answers %d", page, m[1], dest, code)
			}
		}
	}
}

func TestRendersMarkdown(t *testing.T) {
	root := t.TempDir()
	write(t, root, "go.mod", "module github.com/rpcworkshop/workshop\n")
	write(t, root, "docs/README.md", "# The index\n\nSee [the story](story.md#two-words), [chapter one](../01-x) and [Go](https://go.dev/).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n")
	write(t, root, "docs/story.md", "# Story\n\n## Two words\n")
	write(t, root, "01-x/README.md", "# Chapter one\n")
	srv := httptest.NewServer(Handler(root))
	defer srv.Close()

	code, _, body := get(t, srv.Client(), srv.URL+"/docs/")
	if code != http.StatusOK {
		t.Fatalf("GET /docs/: %d, want 200", code)
	}
	for _, want := range []string{
		"<title>The index</title>",
		`<h1 id="the-index">The index</h1>`,
		`href="story.md#two-words"`,
		`href="../01-x/"`, // a link to a folder points at the folder, whose README is served
		`href="https://go.dev/"`,
		"<table>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /docs/: the page has no %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "<script>") {
		t.Errorf("GET /docs/: raw HTML from the Markdown reached the page:\n%s", body)
	}
	if _, _, body := get(t, srv.Client(), srv.URL+"/docs/story.md"); !strings.Contains(body, `<h2 id="two-words">`) {
		t.Errorf("GET /docs/story.md: no heading with GitHub's id two-words:\n%s", body)
	}
}

func TestRefusesWhatIsNotAPage(t *testing.T) {
	root := t.TempDir()
	write(t, root, "go.mod", "module github.com/rpcworkshop/workshop\n")
	write(t, root, ".git/config", "secret\n")
	write(t, root, "docs/README.md", "# Docs\n")
	write(t, root, "data.bin", "\x00\x01")
	srv := httptest.NewServer(Handler(root))
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, url := range []string{"/.git/config", "/docs/../.git/config", "/missing.md", "/data.bin", "/nowhere/"} {
		if code, _, body := get(t, client, srv.URL+url); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404; body:\n%s", url, code, body)
		}
	}
	if code, _, _ := get(t, client, srv.URL+"/docs"); code != http.StatusMovedPermanently {
		t.Errorf("GET /docs: %d, want a redirect to /docs/", code)
	}
	resp, err := client.Post(srv.URL+"/docs/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /docs/: %d, want 405", resp.StatusCode)
	}
}

func TestLanguageSwitch(t *testing.T) {
	root := t.TempDir()
	write(t, root, "go.mod", "module github.com/rpcworkshop/workshop\n")
	write(t, root, "docs/story.md", "# Story\n")
	write(t, root, "docs/zh-CN/story.md", "# 故事\n")
	write(t, root, "docs/alone.md", "# Alone\n")
	write(t, root, "docs/zh-CN/README.md", "# 文档\n")
	srv := httptest.NewServer(Handler(root))
	defer srv.Close()
	if _, _, body := get(t, srv.Client(), srv.URL+"/docs/story.md"); !strings.Contains(body, `href="/docs/zh-CN/story.md"`) {
		t.Errorf("the English page does not link to its Chinese twin:\n%s", body)
	}
	if _, _, body := get(t, srv.Client(), srv.URL+"/docs/zh-CN/story.md"); !strings.Contains(body, `href="/docs/story.md"`) {
		t.Errorf("the Chinese page does not link to its English twin:\n%s", body)
	}
	if _, _, body := get(t, srv.Client(), srv.URL+"/docs/zh-CN/story.md"); !strings.Contains(body, `<a href="/docs/zh-CN/">文档</a>`) {
		t.Errorf("the Chinese page's navigation does not lead to the Chinese docs:\n%s", body)
	}
	if _, _, body := get(t, srv.Client(), srv.URL+"/docs/alone.md"); strings.Contains(body, "zh-CN") {
		t.Errorf("a page without a twin links to one:\n%s", body)
	}
}

// TestServeOnAListener runs the server as `workshop docs` does, on a real
// listener, and stops it by cancelling its context.
func TestServeOnAListener(t *testing.T) {
	root := testkit.Root(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, root) }()

	client := &http.Client{Timeout: 5 * time.Second}
	code, ctype, body := get(t, client, "http://"+ln.Addr().String()+"/docs/")
	if code != http.StatusOK || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, "<h1") {
		t.Errorf("GET /docs/ from the served listener: %d %s; want 200 and an HTML page", code, ctype)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v after its context ended; want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return within 10s of its context ending")
	}
}

func write(t *testing.T, root, name, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
