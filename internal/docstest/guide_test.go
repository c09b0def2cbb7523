package docstest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/markdown"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// literalRE finds Go string literals, interpreted and raw.
var literalRE = regexp.MustCompile("\"(?:[^\"\\\\\n]|\\\\.)*\"|`[^`]*`")

// verbRE finds where run-time values go in a format string.
var verbRE = regexp.MustCompile(`%[-+# 0-9.*]*[a-zA-Z%]`)

// templates turns the string literals of some Go code into patterns of the
// lines they print: each format verb matches anything. Lines with fewer than
// 12 fixed bytes are left out: they would match too much.
func templates(code string) []*regexp.Regexp {
	var res []*regexp.Regexp
	for _, lit := range literalRE.FindAllString(code, -1) {
		s, err := strconv.Unquote(lit)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(s, "\n") {
			fixed := verbRE.Split(line, -1)
			if len(strings.TrimSpace(strings.Join(fixed, ""))) < 12 {
				continue
			}
			for i, f := range fixed {
				fixed[i] = regexp.QuoteMeta(f)
			}
			if re, err := regexp.Compile(strings.Join(fixed, ".*?")); err == nil { // not valid UTF-8, say
				res = append(res, re)
			}
		}
	}
	return res
}

// TestInstructorGuideQuotesTheTests keeps the guide's tables of mistakes
// honest: each message it quotes must still be in the chapter's code, so a
// reworded test message shows up here instead of in front of a room. A
// message is cut where run-time values go, and its longest fixed piece must
// appear in the chapter's Go files (tests or solution).
func TestInstructorGuideQuotesTheTests(t *testing.T) {
	for _, ed := range []struct{ page, chapter, header string }{
		{"docs/instructor-guide.md", "Chapter ", "the test says"},
		{"docs/zh-CN/instructor-guide.md", "第 ", "测试给出的信息"},
	} {
		t.Run(ed.page, func(t *testing.T) { guideQuotes(t, ed.page, ed.chapter, ed.header) })
	}
}

func guideQuotes(t *testing.T, page, prefix, header string) {
	root := testkit.Root(t)
	c, err := course.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	doc := readDoc(t, root, page)
	tree := doc.Root
	chapter := ""
	checked := map[string]int{}
	cache := map[string][]*regexp.Regexp{}
	ast.Walk(tree, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 2 {
				chapter = ""
				for _, ch := range c.Chapters {
					if strings.HasPrefix(doc.Text(n), prefix+ch.Number()) {
						chapter = ch.Dir
					}
				}
			}
		case *east.TableRow:
			cells := []ast.Node{}
			for cell := n.FirstChild(); cell != nil; cell = cell.NextSibling() {
				cells = append(cells, cell)
			}
			if chapter == "" || len(cells) != 2 || !isMistakesTable(doc, n, header) {
				return ast.WalkSkipChildren, nil
			}
			if cache[chapter] == nil {
				cache[chapter] = templates(goCode(t, root, chapter))
			}
			tmpls := cache[chapter]
			var quotes []string
			for span := cells[1].FirstChild(); span != nil; span = span.NextSibling() {
				if _, ok := span.(*ast.CodeSpan); ok {
					if q := strings.ReplaceAll(doc.Text(span), `\|`, "|"); len(q) >= 16 {
						quotes = append(quotes, q)
					}
				}
			}
			if len(quotes) == 0 {
				return ast.WalkSkipChildren, nil // no message quoted in this row
			}
			checked[chapter]++
			printed := func(q string) bool {
				return slices.ContainsFunc(tmpls, func(re *regexp.Regexp) bool { return re.MatchString(q) })
			}
			for _, q := range quotes {
				if !printed(q) {
					t.Errorf("%s, %s: the guide quotes %q, which no string in the chapter's code prints any more; make the mistake again and copy the new message", page, chapter, q)
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, ch := range c.Chapters {
		if checked[ch.Dir] < 3 {
			t.Errorf("%s quotes %d test messages of %s; want a table of at least 3 mistakes and their messages", page, checked[ch.Dir], ch.Dir)
		}
	}
}

// isMistakesTable reports whether a row belongs to a table whose header
// says "the test says".
func isMistakesTable(doc *markdown.Doc, row ast.Node, header string) bool {
	table := row.Parent()
	if table == nil || table.FirstChild() == nil {
		return false
	}
	return strings.Contains(doc.Text(table.FirstChild()), header)
}

// goCode is every Go file of a chapter and its solution, tests included.
func goCode(t *testing.T, root, dir string) string {
	t.Helper()
	var b strings.Builder
	for _, d := range []string{dir, filepath.Join("solutions", dir)} {
		files, _ := filepath.Glob(filepath.Join(root, d, "*.go"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
	}
	return b.String()
}
