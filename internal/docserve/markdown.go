package docserve

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// markdown is the one Markdown dialect of the workshop: CommonMark with
// GitHub's tables, strikethrough and autolinks, headings carrying the same
// ids GitHub gives them (so a link to page.md#a-heading works in both
// places), and no raw HTML passed through.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(html.WithXHTML()),
)

// Parse reads a Markdown document into its syntax tree, with GitHub's
// heading ids.
func Parse(source []byte) ast.Node {
	ctx := parser.NewContext(parser.WithIDs(newSlugs()))
	return markdown.Parser().Parse(text.NewReader(source), parser.WithContext(ctx))
}

// Slug is the anchor GitHub gives a heading: lower case, punctuation
// dropped, spaces turned into hyphens.
func Slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// slugs hands out GitHub's heading ids, numbering repeats: a, a-1, a-2.
type slugs struct{ used map[string]bool }

func newSlugs() *slugs { return &slugs{used: map[string]bool{}} }

func (s *slugs) Generate(value []byte, _ ast.NodeKind) []byte {
	base := Slug(string(value))
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

func (s *slugs) Put(value []byte) { s.used[string(value)] = true }

// HeadingIDs lists the anchors of a document's headings.
func HeadingIDs(doc ast.Node) map[string]bool {
	ids := map[string]bool{}
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if id, ok := h.AttributeString("id"); ok {
				ids[string(id.([]byte))] = true
			}
		}
		return ast.WalkContinue, nil
	})
	return ids
}

// Links lists the destinations of a document's links and images, in order.
func Links(doc ast.Node) []string {
	var dests []string
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			dests = append(dests, string(n.Destination))
		case *ast.Image:
			dests = append(dests, string(n.Destination))
		}
		return ast.WalkContinue, nil
	})
	return dests
}

// Title is the text of the document's first level-1 heading.
func Title(doc ast.Node, source []byte) string {
	var title string
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level == 1 {
			title = plainText(h, source)
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return title
}

// plainText gathers the text under a node, without the Markdown around it.
func plainText(n ast.Node, source []byte) string {
	var b bytes.Buffer
	ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(source))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// IsRelative reports whether a link points inside the workshop: no scheme,
// no host, not a bare #anchor, not an absolute path.
func IsRelative(dest string) bool {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "/") {
		return false
	}
	if i := strings.IndexAny(dest, ":/?#"); i >= 0 && dest[i] == ':' {
		return false // http:, https:, mailto:
	}
	return true
}
