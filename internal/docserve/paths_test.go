package docserve

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const secret = "the secret outside the workshop"

// outsideFixture makes a workshop beside a folder that must never be
// served, with symbolic links from the workshop pointing out of it. It
// returns the workshop's root and the path of the secret file.
func outsideFixture(t *testing.T) (root, secretFile string) {
	t.Helper()
	dir := t.TempDir()
	root = filepath.Join(dir, "workshop")
	write(t, root, "go.mod", "module github.com/rpcworkshop/workshop\n")
	write(t, root, "docs/README.md", "# Docs\n")
	write(t, root, "docs/other.md", "# Other\n")
	write(t, dir, "outside/secret.md", secret+"\n")
	write(t, dir, "outside/secret.go", "package secret // "+secret+"\n")
	secretFile = filepath.Join(dir, "outside", "secret.md")
	links := map[string]string{
		"docs/out.md":      filepath.Join("..", "..", "outside", "secret.md"),
		"docs/abs.md":      secretFile,
		"docs/outdir":      filepath.Join("..", "..", "outside"),
		"docs/inside.md":   "other.md",
		"docs/insidedir":   ".",
		"docs/outsrc.go":   filepath.Join("..", "..", "outside", "secret.go"),
		"docs/dangling.md": "nothing-here.md",
	}
	for link, target := range links {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(link))); err != nil {
			t.Skipf("cannot make symbolic links here (%v); the path tests without them run in TestRefusesPathsOutOfTheWorkshop", err)
		}
	}
	return root, secretFile
}

// get1 sends one request with the request line exactly as given, as a
// client that does not clean its paths would.
func get1(h http.Handler, target string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Code, rec.Body.String()
}

func TestRefusesPathsOutOfTheWorkshop(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "workshop")
	write(t, root, "go.mod", "module github.com/rpcworkshop/workshop\n")
	write(t, root, "docs/README.md", "# Docs\n")
	write(t, dir, "outside/secret.md", secret+"\n")
	abs := filepath.ToSlash(filepath.Join(dir, "outside", "secret.md"))
	h := Handler(root)
	for _, target := range []string{
		"/../outside/secret.md",
		"/docs/../../outside/secret.md",
		"/%2e%2e/outside/secret.md",
		"/docs/%2e%2e/%2E%2E/outside/secret.md",
		"/%2e%2e%2foutside%2fsecret.md",
		"/docs%5C..%5C..%5Coutside%5Csecret.md",
		"/..%5Coutside%5Csecret.md",
		"/docs/..%5c..%5coutside%5csecret.md",
		"//" + strings.TrimPrefix(abs, "/"),
		"/%2F" + strings.TrimPrefix(strings.ReplaceAll(abs, "/", "%2F"), "%2F"),
		"/" + abs,
		"/C:/Windows/win.ini",
		"/C:%5CWindows%5Cwin.ini",
		"/c:secret.md",
		"/docs/README.md::$DATA",
		"/docs/README.md%00.md",
		"/.git/config",
		"/docs/../.git/config",
		"/docs/README.md/",
	} {
		code, body := get1(h, target)
		if code != http.StatusNotFound && code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 404 or 400; body:\n%s", target, code, body)
		}
		if strings.Contains(body, secret) {
			t.Errorf("GET %s served the file outside the workshop:\n%s", target, body)
		}
	}
	if code, body := get1(h, "/docs/README.md"); code != http.StatusOK || !strings.Contains(body, "<h1") {
		t.Errorf("GET /docs/README.md: %d, want 200 and the page; the path checks refuse too much", code)
	}
}

func TestRefusesSymlinksOutOfTheWorkshop(t *testing.T) {
	root, _ := outsideFixture(t)
	h := Handler(root)
	for _, target := range []string{
		"/docs/out.md", "/docs/abs.md", "/docs/outdir/secret.md", "/docs/outdir/", "/docs/outdir",
		"/docs/outsrc.go", "/docs/dangling.md", "/docs/insidedir/outdir/secret.md",
	} {
		code, body := get1(h, target)
		if code != http.StatusNotFound && code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 404 or 400; body:\n%s", target, code, body)
		}
		if strings.Contains(body, secret) {
			t.Errorf("GET %s followed a link out of the workshop:\n%s", target, body)
		}
	}
	// A link that stays inside is fine, and so is a listing of its folder.
	if code, body := get1(h, "/docs/inside.md"); code != http.StatusOK || !strings.Contains(body, "<h1") {
		t.Errorf("GET /docs/inside.md, a link to a page beside it: %d, want 200 and the page", code)
	}
	// The listing of a folder names none of the links that lead out.
	write(t, root, "docs/more/page.md", "# Page\n")
	os.Remove(filepath.Join(root, "docs", "README.md"))
	code, body := get1(h, "/docs/")
	if code != http.StatusOK {
		t.Fatalf("GET /docs/ without a README: %d, want 200 and a listing", code)
	}
	for _, name := range []string{"out.md", "abs.md", "outdir", "outsrc.go", "dangling.md"} {
		if strings.Contains(body, name) {
			t.Errorf("the listing of /docs/ names %s, which leads out of the workshop or nowhere:\n%s", name, body)
		}
	}
	for _, name := range []string{`href="inside.md"`, `href="more/"`} {
		if !strings.Contains(body, name) {
			t.Errorf("the listing of /docs/ has no %s:\n%s", name, body)
		}
	}
}

func TestRequestPath(t *testing.T) {
	for url, want := range map[string]struct {
		rel  string
		code int
	}{
		"/":                  {"", 200},
		"/docs/":             {"docs", 200},
		"/docs//story.md":    {"docs/story.md", 200},
		"/docs/../x":         {"", 404},
		"/.workshop/x":       {"", 404},
		"/docs\\x":           {"", 400},
		"/C:/x":              {"", 400},
		"/docs/story.md\x00": {"", 400},
	} {
		rel, code := requestPath(url)
		if rel != want.rel || code != want.code {
			t.Errorf("requestPath(%q) = %q, %d; want %q, %d", url, rel, code, want.rel, want.code)
		}
	}
}
