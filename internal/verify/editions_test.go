package verify

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/course"
)

func TestEditionsDriftIsCaught(t *testing.T) {
	const en, zh = "01-rpc-basics/README.md", "01-rpc-basics/README.zh-CN.md"
	twins := map[string]string{en: zh, "02-protobuf/README.md": "02-protobuf/README.zh-CN.md"}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("testdata", "editions", name))
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(string(data), "\r\n", "\n") // the edits below match LF
	}
	enText, zhText := read("README.md"), read("README.zh-CN.md")

	tests := []struct {
		name   string
		edit   func(zh string) string
		wanted string // a phrase of the expected complaint; "" means none
	}{
		{"twins in step", func(s string) string { return s }, ""},
		{"a command changed in one edition", func(s string) string {
			return strings.Replace(s, "go test -run Step1", "go test -run Step2", 1)
		}, "code block 2 differs between 01-rpc-basics/README.md (line 15) and 01-rpc-basics/README.zh-CN.md (line 15)"},
		{"a code block dropped", func(s string) string {
			return strings.Replace(s, "```\ngo test -run Step1\n```\n", "", 1)
		}, "has 2 code blocks but 01-rpc-basics/README.zh-CN.md has 1"},
		{"a section missing", func(s string) string {
			return strings.Replace(s, "## 开始之前\n", "", 1)
		}, "has 3 sections but 01-rpc-basics/README.zh-CN.md has 2"},
		{"a section at another level", func(s string) string {
			return strings.Replace(s, "## 开始之前\n", "### 开始之前\n", 1)
		}, "is a level-2 heading in 01-rpc-basics/README.md"},
		{"a link leaves the Chinese edition", func(s string) string {
			return strings.Replace(s, "../02-protobuf/README.zh-CN.md", "../02-protobuf/README.md", 1)
		}, "links to the English 02-protobuf/README.md: link to its Chinese twin 02-protobuf/README.zh-CN.md instead"},
		{"no link back to English", func(s string) string {
			return strings.Replace(s, "[English](README.md)", "English", 1)
		}, "does not link back to its English twin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := compareEditions(en, zh, enText, tt.edit(zhText), twins)
			got := strings.Join(problems, "\n")
			if tt.wanted == "" && got != "" {
				t.Fatalf("twins in step were reported as drifting:\n%s", got)
			}
			if !strings.Contains(got, tt.wanted) {
				t.Fatalf("the drift was not reported as it should be.\ngot:  %q\nwant: a line containing %q", got, tt.wanted)
			}
		})
	}
}

func TestTwin(t *testing.T) {
	for page, want := range map[string]string{
		"README.md":               "README.zh-CN.md",
		"01-rpc-basics/README.md": "01-rpc-basics/README.zh-CN.md",
		"01-rpc-basics/HINTS.md":  "01-rpc-basics/HINTS.zh-CN.md",
		"docs/README.md":          "docs/zh-CN/README.md",
		"docs/story.md":           "docs/zh-CN/story.md",
	} {
		if got := Twin(page); got != want {
			t.Errorf("Twin(%q) = %q, want %q", page, got, want)
		}
	}
}

// The hints `workshop hint` shows are a page like any other: each chapter's
// HINTS.md has a Chinese twin, in step with it.
func TestEditionsPairTheHints(t *testing.T) {
	root, err := course.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	c, err := course.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	v := &verifier{opts: Options{Root: root}}
	pages := v.englishPages(c)
	twins := map[string]string{}
	for _, p := range pages {
		twins[p] = Twin(p)
	}
	for _, ch := range c.Chapters {
		en := ch.Dir + "/HINTS.md"
		enText, err := os.ReadFile(filepath.Join(root, en))
		if err != nil {
			continue // a chapter without hints has nothing to pair
		}
		if !slices.Contains(pages, en) {
			t.Errorf("the edition check does not compare %s with its twin", en)
			continue
		}
		zh := Twin(en)
		zhText, err := os.ReadFile(filepath.Join(root, zh))
		if err != nil {
			t.Errorf("%s has no Chinese twin: write %s", en, zh)
			continue
		}
		for _, p := range compareEditions(en, zh, string(enText), string(zhText), twins) {
			t.Error(p)
		}
	}
}
