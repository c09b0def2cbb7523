package verify

import (
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/markdown"
)

func TestCheckLink(t *testing.T) {
	root := t.TempDir()
	write(t, root, "03-codegen/README.md", "# Chapter 03\n\nRead [this](#when-protoc-is-missing).\n\n## When protoc is missing\n")
	write(t, root, "03-codegen/README.zh-CN.md", "# 第 03 章\n\n## 第 2 步：生成 Go 代码\n")
	write(t, root, "03-codegen/gen.go", "package gen\n")
	write(t, root, "docs/empty/notes.txt", "x\n")
	ps := &pages{root: root, cache: map[string]*markdown.Doc{}}
	const page = "03-codegen/README.md"
	for _, tt := range []struct {
		dest, want string // want: a phrase of the complaint; "" for none
	}{
		{"#when-protoc-is-missing", ""},
		{"#when-protoc-is-mising", "links to #when-protoc-is-mising, but this page has no heading with that anchor: point it at one of #chapter-03, #when-protoc-is-missing"},
		{"README.md#when-protoc-is-missing", ""},
		{"../03-codegen#when-protoc-is-missing", ""},                                  // a folder: its README
		{"../03-codegen/#nowhere", "links to #nowhere, but this page has no heading"}, // the folder's README is this page
		{"README.zh-CN.md#第-2-步生成-go-代码", ""},
		{"README.zh-CN.md#%E7%AC%AC-2-%E6%AD%A5%E7%94%9F%E6%88%90-go-%E4%BB%A3%E7%A0%81", ""},
		{"gen.go#L1", ""}, // a line of source: GitHub's business
		{"gen.go?plain=1", ""},
		{"missing.md", "links to missing.md, which does not exist"},
		{"../docs/empty#x", "a folder without a README"},
		{"../../outside.md", "outside the workshop"},
	} {
		got := checkLink(ps, page, tt.dest)
		switch {
		case tt.want == "" && got != "":
			t.Errorf("the link %q was reported, but it resolves: %s", tt.dest, got)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("the link %q: got %q, want a complaint containing %q", tt.dest, got, tt.want)
		}
	}
}
