// Package docserve renders the workshop's Markdown as HTML for reading in a
// browser, offline: docs/, the root README and the chapters' READMEs. A page's
// URL is its path in the repository (/docs/story.md, /04-server/), so the
// relative links written for GitHub and editors work unchanged; a link to a
// folder is pointed at the folder's README. Pages load nothing from the
// network: no scripts, no fonts, the style sheet inline.
package docserve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"

	"github.com/rpcworkshop/workshop/internal/course"
)

// module is how FindRoot recognises the workshop's go.mod.
const module = "module github.com/rpcworkshop/workshop"

// FindRoot returns the workshop's root: dir or the nearest parent of it
// whose go.mod is the workshop's.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(data), module+"\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the workshop: no go.mod with " + module + " here or above; cd into the workshop's folder")
		}
		dir = parent
	}
}

// Serve serves the workshop under root on ln until ctx ends, then shuts
// down, letting requests in flight finish for up to five seconds.
func Serve(ctx context.Context, ln net.Listener, root string) error {
	srv := &http.Server{Handler: Handler(root), ReadHeaderTimeout: 5 * time.Second}
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
// files as text pages, images as they are.
func Handler(root string) http.Handler {
	return &site{root: root}
}

type site struct{ root string }

// sourceExts are the files shown as text pages, so that a doc can link to
// the code it talks about.
var sourceExts = map[string]bool{
	".go": true, ".proto": true, ".py": true, ".json": true, ".txt": true,
	".mod": true, ".sum": true, ".sh": true, ".yaml": true, ".yml": true,
}

var imageTypes = map[string]string{
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "only GET", http.StatusMethodNotAllowed)
		return
	}
	urlPath := path.Clean("/" + r.URL.Path)
	for _, part := range strings.Split(urlPath, "/") {
		if strings.HasPrefix(part, ".") {
			http.NotFound(w, r) // .git and friends, and any ..
			return
		}
	}
	rel := strings.TrimPrefix(urlPath, "/")
	file := filepath.Join(s.root, filepath.FromSlash(rel))
	info, err := os.Stat(file)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if info.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, urlPath+"/", http.StatusMovedPermanently)
			return
		}
		readme := filepath.Join(file, "README.md")
		if _, err := os.Stat(readme); err != nil {
			s.folderPage(w, r, rel, file)
			return
		}
		rel, file = path.Join(rel, "README.md"), readme
	}
	ext := path.Ext(rel)
	switch {
	case ext == ".md":
		s.markdownPage(w, rel, file)
	case sourceExts[ext] || path.Base(rel) == "run":
		s.sourcePage(w, rel, file)
	case imageTypes[ext] != "":
		w.Header().Set("Content-Type", imageTypes[ext])
		http.ServeFile(w, r, file)
	default:
		http.NotFound(w, r)
	}
}

func (s *site) markdownPage(w http.ResponseWriter, rel, file string) {
	source, err := os.ReadFile(file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	doc := Parse(source)
	s.fixLinks(doc, path.Dir(rel))
	var body bytes.Buffer
	if err := markdown.Renderer().Render(&body, source, doc); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	title := Title(doc, source)
	if title == "" {
		title = rel
	}
	s.page(w, rel, title, template.HTML(body.String()))
}

func (s *site) sourcePage(w http.ResponseWriter, rel, file string) {
	source, err := os.ReadFile(file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	body := fmt.Sprintf("<h1>%s</h1>\n<pre><code>%s</code></pre>\n",
		template.HTMLEscapeString(rel), template.HTMLEscapeString(string(source)))
	s.page(w, rel, rel, template.HTML(body))
}

// folderPage lists a folder that has no README, as GitHub does, so that a
// link to any folder leads somewhere. The root without a README leads to
// the docs' index.
func (s *site) folderPage(w http.ResponseWriter, r *http.Request, rel, dir string) {
	if rel == "" {
		http.Redirect(w, r, "/docs/", http.StatusFound)
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var body strings.Builder
	fmt.Fprintf(&body, "<h1>%s/</h1>\n<ul>\n", template.HTMLEscapeString(rel))
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if e.IsDir() {
			name += "/"
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
		if !ok || !entering || !IsRelative(string(link.Destination)) {
			return ast.WalkContinue, nil
		}
		dest, frag, _ := strings.Cut(string(link.Destination), "#")
		target := path.Join(dir, dest)
		if info, err := os.Stat(filepath.Join(s.root, filepath.FromSlash(target))); err == nil && info.IsDir() && !strings.HasSuffix(dest, "/") {
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

func (s *site) nav(rel string) []navLink {
	zh := strings.Contains(rel, "zh-CN")
	// pick returns the Chinese edition of a page when the reader is on one
	// and it exists, else the English one.
	pick := func(en, cn string) string {
		if zh {
			if _, err := os.Stat(filepath.Join(s.root, filepath.FromSlash(strings.TrimPrefix(cn, "/")))); err == nil {
				return cn
			}
		}
		return en
	}
	links := []navLink{
		{pick("/", "/README.zh-CN.md"), "Workshop"},
		{pick("/docs/", "/docs/zh-CN/"), "Docs"},
	}
	if zh {
		links[0].Text, links[1].Text = "工作坊", "文档"
	}
	c, err := course.Load(s.root)
	if err != nil {
		return links
	}
	for _, ch := range c.Chapters {
		if _, err := os.Stat(filepath.Join(s.root, ch.Dir, "README.md")); err == nil {
			href := pick("/"+ch.Dir+"/", "/"+ch.Dir+"/README.zh-CN.md")
			links = append(links, navLink{href, ch.Number() + " " + ch.Title})
		}
	}
	return links
}

// twin returns the page's other-language edition if it exists: docs/x.md and
// docs/zh-CN/x.md, README.md and README.zh-CN.md.
func (s *site) twin(rel string) (navLink, bool) {
	var other navLink
	switch {
	case strings.HasPrefix(rel, "docs/zh-CN/"):
		other = navLink{"docs/" + strings.TrimPrefix(rel, "docs/zh-CN/"), "English"}
	case strings.HasPrefix(rel, "docs/"):
		other = navLink{"docs/zh-CN/" + strings.TrimPrefix(rel, "docs/"), "简体中文"}
	case strings.HasSuffix(rel, ".zh-CN.md"):
		other = navLink{strings.TrimSuffix(rel, ".zh-CN.md") + ".md", "English"}
	default:
		other = navLink{strings.TrimSuffix(rel, ".md") + ".zh-CN.md", "简体中文"}
	}
	if _, err := os.Stat(filepath.Join(s.root, filepath.FromSlash(other.Href))); err != nil {
		return navLink{}, false
	}
	other.Href = "/" + other.Href
	return other, true
}

func (s *site) page(w http.ResponseWriter, rel, title string, body template.HTML) {
	data := struct {
		Title, Path string
		Nav         []navLink
		Twin        navLink
		HasTwin     bool
		Body        template.HTML
	}{Title: title, Path: rel, Nav: s.nav(rel), Body: body}
	data.Twin, data.HasTwin = s.twin(rel)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pageTemplate.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font: 16px/1.55 system-ui, sans-serif; max-width: 52rem; margin: 0 auto; padding: 0 1rem 4rem; color: #1d1d1f; }
nav { border-bottom: 1px solid #ddd; padding: .6rem 0; margin-bottom: 1rem; font-size: .9rem; }
nav a { margin-right: .9rem; }
nav .path { color: #777; float: right; }
a { color: #0b57d0; }
pre { background: #f5f5f7; padding: .8rem; overflow-x: auto; border-radius: 4px; line-height: 1.35; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
blockquote { border-left: 4px solid #ddd; margin-left: 0; padding-left: 1rem; color: #555; }
</style>
</head>
<body>
<nav>{{range .Nav}}<a href="{{.Href}}">{{.Text}}</a>{{end}}{{if .HasTwin}}<a href="{{.Twin.Href}}" hreflang="{{if eq .Twin.Text "English"}}en{{else}}zh-CN{{end}}">{{.Twin.Text}}</a>{{end}}<span class="path">{{.Path}}</span></nav>
<main>
{{.Body}}
</main>
</body>
</html>
`))
