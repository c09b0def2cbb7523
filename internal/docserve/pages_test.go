package docserve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// chineseFixture is a workshop with one chapter in two editions.
func chineseFixture(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	write(t, root, "go.mod", "module github.com/rpcworkshop/workshop\n")
	write(t, root, "course.json", `{"chapters": [{"dir": "01-x", "title": "RPC by hand", "timeout": "90s", "steps": [{"n": 1, "title": "One", "tests": ["TestStep1_One"]}]}]}`)
	write(t, root, "README.md", "# Workshop\n")
	write(t, root, "README.zh-CN.md", "# 工作坊\n")
	write(t, root, "01-x/README.md", "# Chapter 01: RPC by hand\n")
	write(t, root, "01-x/README.zh-CN.md", "# 第 01 章：手写 RPC\n")
	write(t, root, "docs/story.md", "# Story\n\n## One\n\n## Two\n\n### Two and a half\n\n## Three\n\n## Four\n")
	write(t, root, "docs/zh-CN/story.md", "# 故事\n\n## 一\n\n## 二\n\n### 二点五\n\n## 三\n\n## 四\n")
	write(t, root, "docs/short.md", "# Short\n\n## One\n\n## Two\n")
	return root
}

func TestPagesSayTheirLanguage(t *testing.T) {
	h := Handler(chineseFixture(t))
	for url, want := range map[string]string{
		"/docs/story.md":        `<html lang="en">`,
		"/docs/zh-CN/story.md":  `<html lang="zh-CN">`,
		"/01-x/":                `<html lang="en">`,
		"/01-x/README.zh-CN.md": `<html lang="zh-CN">`,
		"/README.zh-CN.md":      `<html lang="zh-CN">`,
		"/docs/zh-CN/":          `<html lang="zh-CN">`, // a listing
	} {
		if code, body := get1(h, url); code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d; want 200 and %s in:\n%s", url, code, want, body)
		}
	}
}

func TestChineseNavigation(t *testing.T) {
	h := Handler(chineseFixture(t))
	_, body := get1(h, "/docs/zh-CN/story.md")
	want := `<nav class="bar"><a href="/README.zh-CN.md">工作坊</a><a href="/docs/zh-CN/">文档</a><a href="/01-x/README.zh-CN.md">01 手写 RPC</a><a href="/docs/story.md" hreflang="en" lang="en">English</a>`
	if !strings.Contains(body, want) {
		t.Errorf("the Chinese page's navigation bar is not in Chinese; want\n%s\nin:\n%s", want, body)
	}
	_, body = get1(h, "/docs/story.md")
	want = `<nav class="bar"><a href="/">Workshop</a><a href="/docs/">Docs</a><a href="/01-x/">01 RPC by hand</a><a href="/docs/zh-CN/story.md" hreflang="zh-CN" lang="zh-CN">简体中文</a>`
	if !strings.Contains(body, want) {
		t.Errorf("the English page's navigation bar is wrong; want\n%s\nin:\n%s", want, body)
	}
}

func TestLongPagesHaveContents(t *testing.T) {
	h := Handler(chineseFixture(t))
	_, body := get1(h, "/docs/story.md")
	want := "<h1 id=\"story\">Story</h1>\n<nav class=\"toc\" aria-label=\"Contents\"><p>Contents</p>\n<ul>\n" +
		"<li><a href=\"#one\">One</a></li>\n<li><a href=\"#two\">Two</a></li>\n<ul>\n<li><a href=\"#two-and-a-half\">Two and a half</a></li>\n</ul>\n" +
		"<li><a href=\"#three\">Three</a></li>\n<li><a href=\"#four\">Four</a></li>\n</ul></nav>\n"
	if !strings.Contains(body, want) {
		t.Errorf("a page of four sections has no table of contents under its title; want\n%s\nin:\n%s", want, body)
	}
	if _, body := get1(h, "/docs/zh-CN/story.md"); !strings.Contains(body, `<p>目录</p>`) || !strings.Contains(body, `<a href="#二点五">二点五</a>`) {
		t.Errorf("the Chinese page's table of contents is not in Chinese:\n%s", body)
	}
	if _, body := get1(h, "/docs/short.md"); strings.Contains(body, `class="toc"`) {
		t.Errorf("a page of two sections has a table of contents:\n%s", body)
	}
}

// TestWideContentScrollsInItsBox: tables and code blocks scroll inside
// their own box, so the page never scrolls sideways.
func TestWideContentScrollsInItsBox(t *testing.T) {
	_, body := get1(Handler(chineseFixture(t)), "/docs/story.md")
	for _, rule := range []string{
		"pre { background: #f5f5f7; padding: .8rem; overflow-x: auto; max-width: 100%;",
		"table { display: block; max-width: 100%; width: max-content; overflow-x: auto;",
	} {
		if !strings.Contains(body, rule) {
			t.Errorf("the style sheet has no %q", rule)
		}
	}
}

func TestFolderListsOnlyWhatItServes(t *testing.T) {
	root := t.TempDir()
	write(t, root, "go.mod", "module github.com/rpcworkshop/workshop\n")
	write(t, root, "README.md", "# Workshop\n")
	for _, f := range []string{"page.md", "code.go", "pic.png", "run", "data.bin", "notes.docx", ".hidden.md", "sub/page.md", ".git/config"} {
		write(t, root, "stuff/"+f, "x\n")
	}
	srv := httptest.NewServer(Handler(root))
	defer srv.Close()
	code, _, body := get(t, srv.Client(), srv.URL+"/stuff/")
	if code != http.StatusOK {
		t.Fatalf("GET /stuff/: %d, want 200 and a listing", code)
	}
	for _, name := range []string{"../", "page.md", "code.go", "pic.png", "run", "sub/"} {
		if !strings.Contains(body, `href="`+name+`"`) {
			t.Errorf("the listing has no link to %s:\n%s", name, body)
		}
		url := srv.URL + "/stuff/" + name
		if name == "../" {
			url = srv.URL + "/" // as the browser resolves it
		}
		if code, _, _ := get(t, srv.Client(), url); code != http.StatusOK {
			t.Errorf("the listing links to %s, which answers %d", name, code)
		}
	}
	for _, name := range []string{"data.bin", "notes.docx", ".hidden.md", ".git"} {
		if strings.Contains(body, name) {
			t.Errorf("the listing names %s, which the server does not serve:\n%s", name, body)
		}
	}
}

// TestCRLFPages: a checkout with CR LF line ends (Git for Windows) renders
// as an LF one does.
func TestCRLFPages(t *testing.T) {
	root := t.TempDir()
	write(t, root, "go.mod", "module github.com/rpcworkshop/workshop\r\n")
	write(t, root, "docs/README.md", "# The index\r\n\r\n## Two words\r\n\r\n```sh\r\ngo test\r\n```\r\n")
	code, body := get1(Handler(root), "/docs/")
	if code != http.StatusOK || strings.Contains(body, "\r") || !strings.Contains(body, `<h2 id="two-words">`) || !strings.Contains(body, "go test\n</code>") {
		t.Errorf("GET /docs/ of a CR LF page: %d; want 200, its headings and code, and no CR:\n%q", code, body)
	}
}
