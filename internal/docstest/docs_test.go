package docstest

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"

	"github.com/rpcworkshop/workshop/internal/markdown"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// docFiles lists the Markdown files under docs/, relative to the root, in
// slash form.
func docFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func readDoc(t *testing.T, root, rel string) *markdown.Doc {
	t.Helper()
	source, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return markdown.Parse(source)
}

// A command shown in the docs: the line, the folder it runs from, and where
// it was seen.
type command struct {
	line, dir, where string
}

// docCommands collects the commands of the docs' code blocks: every line of
// a ```sh block (but comments), and the lines after "$ " in a ```console
// block. A command runs from the workshop's root unless a `cd` in the same
// block came first.
func docCommands(t *testing.T, root string) []command {
	t.Helper()
	var cmds []command
	for _, doc := range docFiles(t, root) {
		page := readDoc(t, root, doc)
		source, tree := page.Source, page.Root
		ast.Walk(tree, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			block, ok := n.(*ast.FencedCodeBlock)
			if !ok || !entering {
				return ast.WalkContinue, nil
			}
			lang := string(block.Language(source))
			if lang != "sh" && lang != "console" {
				return ast.WalkContinue, nil
			}
			dir := "."
			lines := block.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				line := strings.TrimSpace(string(seg.Value(source)))
				if lang == "console" {
					var ok bool
					if line, ok = strings.CutPrefix(line, "$ "); !ok {
						continue
					}
				}
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				where := fmt.Sprintf("%s:%d", doc, lineNumber(source, seg.Start))
				for _, part := range regexp.MustCompile(`\s*(&&|\|\||;|\|)\s*`).Split(line, -1) {
					cmds = append(cmds, command{line: part, dir: dir, where: where})
					if f := fields(part); len(f) == 2 && f[0] == "cd" {
						dir = path.Join(dir, f[1])
					}
				}
			}
			return ast.WalkContinue, nil
		})
		// Commands in the prose, such as `go run ./cmd/workshop hint 01 3`,
		// run from the root too; `go run .` and the like depend on the
		// folder the text is about, so only ./-targets are taken.
		ast.Walk(tree, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			span, ok := n.(*ast.CodeSpan)
			if !ok || !entering {
				return ast.WalkContinue, nil
			}
			line := page.Text(span)
			if strings.HasPrefix(line, "go run ./") || strings.HasPrefix(line, "go test ./") {
				where := fmt.Sprintf("%s (inline)", doc)
				for _, part := range regexp.MustCompile(`\s*(&&|\|\||;|\|)\s*`).Split(line, -1) {
					cmds = append(cmds, command{line: part, dir: ".", where: where})
				}
			}
			return ast.WalkSkipChildren, nil
		})
	}
	return cmds
}

func lineNumber(source []byte, offset int) int {
	return strings.Count(string(source[:offset]), "\n") + 1
}

// fields splits a command line as a shell would, near enough: on spaces,
// keeping quoted strings whole, dropping a trailing # comment and &.
func fields(line string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	inField := false
loop:
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inField = r, true
		case r == ' ' || r == '\t':
			if inField {
				out = append(out, cur.String())
				cur.Reset()
				inField = false
			}
		case r == '#' && !inField:
			break loop
		default:
			cur.WriteRune(r)
			inField = true
		}
	}
	if inField {
		out = append(out, cur.String())
	}
	if n := len(out); n > 0 && out[n-1] == "&" {
		out = out[:n-1]
	}
	return out
}

// TestDocsCommandsExist checks what can be checked without running the
// docs' commands: the folders they cd into and the paths they name exist,
// `go run` targets are main packages that define the flags passed to them,
// and `go run ./cmd/workshop` subcommands exist.
func TestDocsCommandsExist(t *testing.T) {
	root := testkit.Root(t)
	cmds := docCommands(t, root)
	if len(cmds) == 0 {
		t.Fatal("found no commands in docs/: want ```sh or ```console blocks")
	}
	top, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	topLevel := map[string]bool{}
	for _, e := range top {
		topLevel[e.Name()] = true
	}
	for _, c := range cmds {
		f := fields(c.line)
		if len(f) == 0 {
			continue
		}
		if f[0] == "cd" && len(f) == 2 {
			if info, err := os.Stat(filepath.Join(root, c.dir, filepath.FromSlash(f[1]))); err != nil || !info.IsDir() {
				t.Errorf("%s: `%s`: there is no folder %s (the command runs from %s)", c.where, c.line, f[1], c.dir)
			}
			continue
		}
		// Every argument that looks like a path inside the workshop must exist.
		for _, arg := range f[1:] {
			p := strings.TrimSuffix(arg, "/...")
			first, _, _ := strings.Cut(path.Clean(path.Join(c.dir, p)), "/")
			isPath := strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || p == "." || p == ".." ||
				(strings.Contains(p, "/") && topLevel[first] && !strings.Contains(p, ":"))
			if !isPath || strings.HasPrefix(arg, "-") {
				continue
			}
			if _, err := os.Stat(filepath.Join(root, c.dir, filepath.FromSlash(p))); err != nil {
				t.Errorf("%s: `%s` names %s, which does not exist (the command runs from %s)", c.where, c.line, p, c.dir)
			}
		}
		if len(f) >= 3 && f[0] == "go" && f[1] == "run" {
			checkGoRun(t, root, c, f[2:])
		}
	}
}

// checkGoRun checks `go run <pkg> args...`: the package is a command, each
// -flag is one it defines, and the workshop command's subcommand exists.
func checkGoRun(t *testing.T, root string, c command, args []string) {
	t.Helper()
	pkg := args[0]
	if !strings.HasPrefix(pkg, ".") {
		return // a module path, e.g. a pinned tool
	}
	dir := filepath.Join(root, c.dir, filepath.FromSlash(pkg))
	src := goSource(t, dir)
	if src == "" {
		t.Errorf("%s: `%s`: %s has no Go files", c.where, c.line, pkg)
		return
	}
	if !strings.Contains(src, "package main") {
		t.Errorf("%s: `%s`: %s is not a command (no package main)", c.where, c.line, pkg)
		return
	}
	// Flags may be defined in the workshop's own packages the command imports.
	flagSrc := src
	for _, m := range regexp.MustCompile(`"github.com/rpcworkshop/workshop/(internal/[^"]+)"`).FindAllStringSubmatch(src, -1) {
		flagSrc += goSource(t, filepath.Join(root, filepath.FromSlash(m[1])))
	}
	rest := args[1:]
	isWorkshop := filepath.Clean(dir) == filepath.Join(root, "cmd", "workshop")
	if isWorkshop && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		if !strings.Contains(src, `"`+rest[0]+`"`) {
			t.Errorf("%s: `%s`: the workshop command has no subcommand %q", c.where, c.line, rest[0])
		}
		rest = rest[1:]
	}
	for _, arg := range rest {
		if arg == "--" {
			break
		}
		name, ok := strings.CutPrefix(arg, "-")
		if !ok || name == "h" || name == "help" || name == "-help" {
			continue
		}
		name = strings.TrimPrefix(name, "-")
		name, _, _ = strings.Cut(name, "=")
		if !strings.Contains(flagSrc, `"`+name+`"`) && !strings.Contains(flagSrc, `"-`+name+`"`) && !strings.Contains(flagSrc, `"--`+name+`"`) {
			t.Errorf("%s: `%s`: %s defines no flag -%s", c.where, c.line, pkg, name)
		}
	}
}

// goSource returns the non-test Go source of a folder, concatenated.
func goSource(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

func TestFields(t *testing.T) {
	got := fields(`grpcurl -plaintext -d '{"name": "you"}' localhost:50051 helloworld.Greeter/SayHello & # a comment`)
	want := []string{"grpcurl", "-plaintext", "-d", `{"name": "you"}`, "localhost:50051", "helloworld.Greeter/SayHello"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("fields = %q, want %q", got, want)
	}
}
