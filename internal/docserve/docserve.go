// Package docserve renders the workshop's Markdown as HTML for reading in a
// browser, offline: docs/, the root README and the chapters' READMEs. A page's
// URL is its path in the repository (/docs/story.md, /04-server/), so the
// relative links written for GitHub and editors work unchanged; a link to a
// folder is pointed at the folder's README. Pages load nothing from the
// network: no scripts, no fonts, the style sheet inline.
//
// The server trusts nothing in a request: it opens files only through an
// os.Root at the workshop, so no path, however spelled, reaches a file
// outside it, and it refuses dot files (.git, .workshop) and whatever is
// not a page, a source file or an image.
package docserve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/markdown"
)

// Serve serves the workshop under root on ln until ctx ends, then shuts
// down, letting requests in flight finish for up to five seconds.
func Serve(ctx context.Context, ln net.Listener, root string) error {
	s, err := open(root)
	if err != nil {
		return err
	}
	defer s.root.Close()
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Handler serves the workshop under root: Markdown as HTML pages, source
// files as text pages, images as they are. If root cannot be opened, every
// request gets a 500 that says why.
func Handler(root string) http.Handler {
	s, err := open(root)
	if err != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		})
	}
	return s
}

type site struct {
	root  *os.Root // the workshop; every file is opened through it
	files fs.FS    // root's files, named by slash paths on every system
}

func open(root string) (*site, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("cannot open the workshop at %s: %w", root, err)
	}
	return &site{root: r, files: r.FS()}, nil
}

// sourceExts are the files shown as text pages, so that a doc can link to
// the code it talks about.
var sourceExts = map[string]bool{
	".go": true, ".proto": true, ".py": true, ".json": true, ".txt": true,
	".mod": true, ".sum": true, ".sh": true, ".yaml": true, ".yml": true,
}

var imageTypes = map[string]string{
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
}

// servable reports whether the server shows a file of this name.
func servable(name string) bool {
	ext := path.Ext(name)
	return ext == ".md" || sourceExts[ext] || imageTypes[ext] != "" || name == "run"
}

// requestPath turns a URL path into a path relative to the root, in slash
// form ("" for the root), or says why it names nothing the server serves:
// 400 for what is no path of a workshop file on any system (backslashes,
// drive letters and other colons, NUL), 404 for .., dot files and folders.
func requestPath(urlPath string) (string, int) {
	if strings.ContainsAny(urlPath, "\\:\x00") {
		return "", http.StatusBadRequest
	}
	var parts []string
	for _, part := range strings.Split(urlPath, "/") {
		switch {
		case part == "":
		case strings.HasPrefix(part, "."):
			return "", http.StatusNotFound // .., .git and friends
		default:
			parts = append(parts, part)
		}
	}
	rel := strings.Join(parts, "/")
	if rel != "" && !fs.ValidPath(rel) {
		return "", http.StatusBadRequest
	}
	return rel, http.StatusOK
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "only GET", http.StatusMethodNotAllowed)
		return
	}
	rel, code := requestPath(r.URL.Path)
	if code != http.StatusOK {
		http.Error(w, http.StatusText(code), code)
		return
	}
	info, err := s.stat(rel)
	if err != nil || !info.IsDir() && strings.HasSuffix(r.URL.Path, "/") {
		http.NotFound(w, r) // nothing there, or a file asked for as a folder
		return
	}
	if info.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			target := "/" + rel + "/"
			if rel == "" {
				target = "/"
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		readme := path.Join(rel, "README.md")
		if info, err = s.stat(readme); err != nil {
			s.folderPage(w, r, rel)
			return
		}
		rel = readme
	}
	ext := path.Ext(rel)
	switch {
	case !info.Mode().IsRegular() || !servable(path.Base(rel)):
		http.NotFound(w, r)
	case ext == ".md":
		s.markdownPage(w, rel)
	case imageTypes[ext] != "":
		s.image(w, r, rel)
	default:
		s.sourcePage(w, rel)
	}
}

// stat looks rel up in the root ("" is the root itself).
func (s *site) stat(rel string) (fs.FileInfo, error) {
	if rel == "" {
		rel = "."
	}
	return fs.Stat(s.files, rel)
}

func (s *site) exists(rel string) bool {
	_, err := s.stat(rel)
	return err == nil
}

func (s *site) markdownPage(w http.ResponseWriter, rel string) {
	source, err := fs.ReadFile(s.files, rel)
	if err != nil {
		http.NotFound(w, nil)
		return
	}
	doc := markdown.Parse(source)
	s.fixLinks(doc.Root, path.Dir(rel))
	var body bytes.Buffer
	if err := doc.Render(&body); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	title := doc.Title()
	if title == "" {
		title = rel
	}
	s.page(w, rel, title, withContents(body.String(), doc, rel))
}

// withContents puts a table of contents under the title of a long page:
// one of four sections or more.
func withContents(body string, doc *markdown.Doc, rel string) template.HTML {
	var sections int
	for _, h := range doc.Headings {
		if h.Level == 2 {
			sections++
		}
	}
	if sections < 4 {
		return template.HTML(body)
	}
	var toc strings.Builder
	label := "Contents"
	if markdown.IsChinese(rel) {
		label = "目录"
	}
	fmt.Fprintf(&toc, "<nav class=\"toc\" aria-label=\"%s\"><p>%s</p>\n<ul>\n", label, label)
	inSub := false
	for _, h := range doc.Headings {
		if h.Level != 2 && h.Level != 3 || h.ID == "" {
			continue
		}
		switch {
		case h.Level == 3 && !inSub:
			toc.WriteString("<ul>\n")
			inSub = true
		case h.Level == 2 && inSub:
			toc.WriteString("</ul>\n")
			inSub = false
		}
		fmt.Fprintf(&toc, "<li><a href=\"#%s\">%s</a></li>\n", template.HTMLEscapeString(h.ID), template.HTMLEscapeString(h.Text))
	}
	if inSub {
		toc.WriteString("</ul>\n")
	}
	toc.WriteString("</ul></nav>\n")
	// Under the title if there is one, else at the top.
	if i := strings.Index(body, "</h1>"); i >= 0 {
		i += len("</h1>\n")
		return template.HTML(body[:i] + toc.String() + body[i:])
	}
	return template.HTML(toc.String() + body)
}

func (s *site) sourcePage(w http.ResponseWriter, rel string) {
	source, err := fs.ReadFile(s.files, rel)
	if err != nil {
		http.NotFound(w, nil)
		return
	}
	body := fmt.Sprintf("<h1>%s</h1>\n<pre><code>%s</code></pre>\n",
		template.HTMLEscapeString(rel), template.HTMLEscapeString(string(source)))
	s.page(w, rel, rel, template.HTML(body))
}

func (s *site) image(w http.ResponseWriter, r *http.Request, rel string) {
	f, err := s.files.Open(rel)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	content, seekable := f.(io.ReadSeeker)
	if err != nil || !info.Mode().IsRegular() || !seekable {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", imageTypes[path.Ext(rel)])
	http.ServeContent(w, r, path.Base(rel), info.ModTime(), content)
}

// folderPage lists a folder that has no README, as GitHub does, so that a
// link to any folder leads somewhere: its folders and the files the server
// shows, nothing else. The root without a README leads to the docs' index.
func (s *site) folderPage(w http.ResponseWriter, r *http.Request, rel string) {
	if rel == "" {
		http.Redirect(w, r, "/docs/", http.StatusFound)
		return
	}
	entries, err := fs.ReadDir(s.files, rel)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var body strings.Builder
	fmt.Fprintf(&body, "<h1>%s/</h1>\n<ul class=\"listing\">\n<li><a href=\"../\">../</a></li>\n", template.HTMLEscapeString(rel))
	for _, e := range entries {
		name := e.Name()
		if _, code := requestPath(name); code != http.StatusOK {
			continue // a dot file, or a name no request can reach
		}
		info, err := s.stat(path.Join(rel, name)) // follows links, inside the root only
		switch {
		case err != nil:
			continue
		case info.IsDir():
			name += "/"
		case !info.Mode().IsRegular() || !servable(name):
			continue
		}
		fmt.Fprintf(&body, "<li><a href=\"%s\">%s</a></li>\n", template.HTMLEscapeString(name), template.HTMLEscapeString(name))
	}
	body.WriteString("</ul>\n")
	s.page(w, rel+"/", rel+"/", template.HTML(body.String()))
}

// fixLinks points relative links to folders at the folder itself with a
// trailing slash, where the server shows the folder's README; GitHub does
// the same for a link to a folder. Links to files need nothing: a page's
// URL is its path, so the browser resolves them as the editor does.
func (s *site) fixLinks(doc ast.Node, dir string) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		link, ok := n.(*ast.Link)
		if !ok || !entering || !markdown.IsRelative(string(link.Destination)) {
			return ast.WalkContinue, nil
		}
		dest, frag, _ := strings.Cut(string(link.Destination), "#")
		target := path.Join(dir, dest)
		if info, err := s.stat(target); err == nil && info.IsDir() && !strings.HasSuffix(dest, "/") {
			dest += "/"
			if frag != "" {
				dest += "#" + frag
			}
			link.Destination = []byte(dest)
		}
		return ast.WalkContinue, nil
	})
}

// A navLink is one entry of the bar at the top of every page.
type navLink struct{ Href, Text string }

// nav is the bar at the top of a page, in the page's language: the
// workshop, the docs and each chapter, leading to the Chinese editions
// from a Chinese page, where they exist.
func (s *site) nav(rel string) []navLink {
	zh := markdown.IsChinese(rel)
	// pick returns the Chinese edition of a page when the reader is on one
	// and it exists, else the English one.
	pick := func(en, cn string) string {
		if zh && s.exists(strings.TrimSuffix(cn, "/")) {
			return "/" + cn
		}
		return "/" + en
	}
	links := []navLink{
		{pick("", "README.zh-CN.md"), "Workshop"},
		{pick("docs/", "docs/zh-CN/"), "Docs"},
	}
	if zh {
		links[0].Text, links[1].Text = "工作坊", "文档"
	}
	data, err := fs.ReadFile(s.files, course.File)
	if err != nil {
		return links
	}
	c, err := course.Parse(data)
	if err != nil {
		return links
	}
	for _, ch := range c.Chapters {
		readme := ch.Dir + "/README.md"
		if !s.exists(readme) {
			continue
		}
		link := navLink{"/" + ch.Dir + "/", ch.Number() + " " + ch.Title}
		if twin := markdown.Twin(readme); zh && s.exists(twin) {
			link.Href = "/" + twin
			if title := s.chineseChapterTitle(twin); title != "" {
				link.Text = ch.Number() + " " + title
			}
		}
		links = append(links, link)
	}
	return links
}

// chineseChapterTitle is a Chinese README's title without its "第 01 章：".
func (s *site) chineseChapterTitle(rel string) string {
	source, err := fs.ReadFile(s.files, rel)
	if err != nil {
		return ""
	}
	title := markdown.Parse(source).Title()
	for _, sep := range []string{"：", ": "} {
		if _, rest, ok := strings.Cut(title, sep); ok {
			return strings.TrimSpace(rest)
		}
	}
	return title
}

// twin returns the page's other-language edition if it exists.
func (s *site) twin(rel string) (navLink, bool) {
	if !strings.HasSuffix(rel, ".md") {
		return navLink{}, false
	}
	other := markdown.Twin(rel)
	if !s.exists(other) {
		return navLink{}, false
	}
	text := "简体中文"
	if markdown.IsChinese(rel) {
		text = "English"
	}
	return navLink{"/" + other, text}, true
}

func (s *site) page(w http.ResponseWriter, rel, title string, body template.HTML) {
	data := struct {
		Title, Path, Lang string
		Nav               []navLink
		Twin              navLink
		HasTwin           bool
		Body              template.HTML
	}{Title: title, Path: rel, Lang: markdown.Lang(rel), Nav: s.nav(rel), Body: body}
	data.Twin, data.HasTwin = s.twin(rel)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := pageTemplate.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
