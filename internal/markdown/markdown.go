// Package markdown is the workshop's one reader of Markdown. It parses a
// page with goldmark into what the workshop's tools look at: headings with
// the anchors GitHub gives them, links, code blocks, and the "Step N"
// sections of a chapter's guides with their hints. The docs server renders
// pages with it; verify checks links, editions and step sections with it;
// the workshop command reads hints with it.
package markdown

import (
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// dialect is the one Markdown dialect of the workshop: CommonMark with
// GitHub's tables, strikethrough and autolinks, and no raw HTML passed
// through. Parse gives headings the ids GitHub gives them, so that
// page.md#a-heading works in both places.
var dialect = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(html.WithXHTML()),
)

// Doc is a parsed Markdown page.
type Doc struct {
	Source     []byte   // the text, with CR LF line ends turned into LF
	Root       ast.Node // goldmark's syntax tree, for rendering
	Headings   []Heading
	Links      []Link
	CodeBlocks []CodeBlock
}

// Heading is one heading of a page.
type Heading struct {
	Level int
	Text  string // the text as shown, without the Markdown around it
	ID    string // the anchor GitHub gives it: page.md#ID
	Line  int
}

// Link is a link or an image in the page's prose (not in code).
type Link struct {
	Dest  string // as written: a URL, a relative path, #fragment
	Line  int
	Image bool
}

// CodeBlock is a fenced or indented block of code.
type CodeBlock struct {
	Lang string // the fence's info word: sh, console, go; "" if none
	Text string // the lines inside, each ending in \n
	Line int    // the first line of the code
}

// Parse reads a Markdown page. CR LF line ends (a Windows checkout) read the
// same as LF.
func Parse(source []byte) *Doc {
	source = bytes.ReplaceAll(source, []byte("\r\n"), []byte("\n"))
	d := &Doc{Source: source}
	d.Root = dialect.Parser().Parse(text.NewReader(source))
	ids := newSlugs()
	ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			// The anchor comes from the text as shown, as GitHub's does:
			// "## See [the story](story.md)" is #see-the-story.
			h := Heading{Level: n.Level, Text: d.text(n), Line: d.line(n)}
			h.ID = ids.next(h.Text)
			n.SetAttributeString("id", []byte(h.ID))
			d.Headings = append(d.Headings, h)
		case *ast.Link:
			d.Links = append(d.Links, Link{Dest: string(n.Destination), Line: d.line(n)})
		case *ast.Image:
			d.Links = append(d.Links, Link{Dest: string(n.Destination), Line: d.line(n), Image: true})
		case *ast.FencedCodeBlock:
			d.CodeBlocks = append(d.CodeBlocks, CodeBlock{Lang: string(n.Language(source)), Text: d.lines(n), Line: d.line(n)})
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock:
			d.CodeBlocks = append(d.CodeBlocks, CodeBlock{Text: d.lines(n), Line: d.line(n)})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return d
}

// Render writes the page as HTML.
func (d *Doc) Render(w io.Writer) error {
	return dialect.Renderer().Render(w, d.Source, d.Root)
}

// Title is the text of the page's first level-1 heading, or "".
func (d *Doc) Title() string {
	for _, h := range d.Headings {
		if h.Level == 1 {
			return h.Text
		}
	}
	return ""
}

// HasAnchor reports whether a #fragment of the page names one of its headings.
func (d *Doc) HasAnchor(id string) bool {
	for _, h := range d.Headings {
		if h.ID == id {
			return true
		}
	}
	return false
}

// Anchors lists the page's heading anchors, in order.
func (d *Doc) Anchors() []string {
	var ids []string
	for _, h := range d.Headings {
		ids = append(ids, h.ID)
	}
	return ids
}

// Text gathers the text under a node of the page's tree, without the
// Markdown around it.
func (d *Doc) Text(n ast.Node) string { return d.text(n) }

func (d *Doc) text(n ast.Node) string {
	var b bytes.Buffer
	ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch t := n.(type) {
			case *ast.Text:
				b.Write(t.Segment.Value(d.Source))
				if t.SoftLineBreak() || t.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(t.Value)
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// lines is the text of a block's lines, as written.
func (d *Doc) lines(n ast.Node) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(d.Source))
	}
	return b.String()
}

// line is the line number a node starts on, or 0 if it has no text (an
// empty heading): the first text inside it, or the first line of the block
// that holds it.
func (d *Doc) line(n ast.Node) int {
	offset := -1
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			offset = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	for p := n; offset < 0 && p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			offset = p.Lines().At(0).Start
		}
	}
	if offset < 0 {
		return 0
	}
	return bytes.Count(d.Source[:offset], []byte("\n")) + 1
}

// Slug is the anchor GitHub gives a heading: lower case, punctuation
// dropped, spaces turned into hyphens; letters of every script kept.
func Slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// slugs hands out GitHub's heading ids, numbering repeats: a, a-1, a-2.
type slugs struct{ used map[string]bool }

func newSlugs() *slugs { return &slugs{used: map[string]bool{}} }

func (s *slugs) next(heading string) string {
	base := Slug(heading)
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return id
}

var schemeRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// IsRelative reports whether a link points at a file of the workshop: no
// scheme (http:, mailto:), no host, not a bare #fragment, not an absolute path.
func IsRelative(dest string) bool {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, `\`) {
		return false
	}
	return !schemeRE.MatchString(dest)
}
