package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const page = "# The title\n" +
	"\n" +
	"See [the story](story.md#two-words), ![a picture](img.png) and [Go](https://go.dev/).\n" +
	"\n" +
	"## Step 1: Marshal by hand\n" +
	"\n" +
	"```sh\n" +
	"go test -run Step1\n" +
	"```\n" +
	"\n" +
	"    indented code\n" +
	"\n" +
	"## `go: module lookup disabled`\n" +
	"\n" +
	"A `[not a link](x.md)` in code.\n" +
	"\n" +
	"## The title\n" +
	"\n" +
	"### See [the story](story.md) and **more**\n"

func TestParse(t *testing.T) {
	for _, ending := range []string{"\n", "\r\n"} {
		d := Parse([]byte(strings.ReplaceAll(page, "\n", ending)))
		wantHeadings := []Heading{
			{Level: 1, Text: "The title", ID: "the-title", Line: 1},
			{Level: 2, Text: "Step 1: Marshal by hand", ID: "step-1-marshal-by-hand", Line: 5},
			{Level: 2, Text: "go: module lookup disabled", ID: "go-module-lookup-disabled", Line: 13},
			{Level: 2, Text: "The title", ID: "the-title-1", Line: 17},
			{Level: 3, Text: "See the story and more", ID: "see-the-story-and-more", Line: 19},
		}
		if diff := cmp.Diff(wantHeadings, d.Headings); diff != "" {
			t.Errorf("headings (-want +got), line ends %q:\n%s", ending, diff)
		}
		wantLinks := []Link{
			{Dest: "story.md#two-words", Line: 3},
			{Dest: "img.png", Line: 3, Image: true},
			{Dest: "https://go.dev/", Line: 3},
			{Dest: "story.md", Line: 19},
		}
		if diff := cmp.Diff(wantLinks, d.Links); diff != "" {
			t.Errorf("links (-want +got), line ends %q:\n%s", ending, diff)
		}
		wantBlocks := []CodeBlock{
			{Lang: "sh", Text: "go test -run Step1\n", Line: 8},
			{Text: "indented code\n", Line: 11},
		}
		if diff := cmp.Diff(wantBlocks, d.CodeBlocks); diff != "" {
			t.Errorf("code blocks (-want +got), line ends %q:\n%s", ending, diff)
		}
		if got := d.Title(); got != "The title" {
			t.Errorf("Title() = %q, want %q", got, "The title")
		}
		if !d.HasAnchor("the-title-1") || d.HasAnchor("two-words") {
			t.Errorf("HasAnchor is wrong; the anchors are %q", d.Anchors())
		}
	}
}

func TestRenderGivesHeadingsTheirAnchors(t *testing.T) {
	d := Parse([]byte(page + "\n<script>alert(1)</script>\n"))
	var b bytes.Buffer
	if err := d.Render(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<h1 id="the-title">`, `<h2 id="the-title-1">`, `href="story.md#two-words"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the HTML has no %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "<script>") {
		t.Errorf("raw HTML reached the page:\n%s", b.String())
	}
}

func TestSlug(t *testing.T) {
	for heading, want := range map[string]string{
		"The five problems":                     "the-five-problems",
		"Stage 2: net/rpc (chapter 01, step 5)": "stage-2-netrpc-chapter-01-step-5",
		"`go: module lookup disabled`":          "go-module-lookup-disabled",
		"Windows and WSL":                       "windows-and-wsl",
		"第 2 步：字节流上的帧":                          "第-2-步字节流上的帧",
		"When protoc is missing":                "when-protoc-is-missing",
	} {
		if got := Slug(heading); got != want {
			t.Errorf("Slug(%q) = %q, want %q", heading, got, want)
		}
	}
}

func TestSteps(t *testing.T) {
	hints := "# Hints\n\n" +
		"## Step 1\n\n### Hint 1\n\nRead the frame.\n\n```go\n### not a heading\n```\n\n#### A detail\n\nMore.\n\n### Hint 2\n\nWrite it.\n\n" +
		"## Before step 2\n\n### Hint 9\n\nNot a step's.\n\n" +
		"## 第 2 步：帧\n\n### 提示 1\n\n先读。\n"
	for _, ending := range []string{"\n", "\r\n"} {
		var got []Step
		for _, s := range Parse([]byte(strings.ReplaceAll(hints, "\n", ending))).Steps() {
			s.Heading = Heading{}
			got = append(got, s)
		}
		want := []Step{
			{N: 1, Hints: []string{"Read the frame.\n\n```go\n### not a heading\n```\n\n#### A detail\n\nMore.", "Write it."}},
			{N: 2, Hints: []string{"先读。"}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Steps() (-want +got), line ends %q:\n%s", ending, diff)
		}
	}
}

func TestStepNumber(t *testing.T) {
	for heading, want := range map[string]int{"Step 2: Frames": 2, "Step 12": 12, "第 3 步：服务端": 3, "第3步": 3, "Steps": 0, "Before step 2": 0} {
		if got, _ := StepNumber(heading); got != want {
			t.Errorf("StepNumber(%q) = %d, want %d", heading, got, want)
		}
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
		if got := Twin(want); got != page {
			t.Errorf("Twin(%q) = %q, want %q", want, got, page)
		}
		if IsChinese(page) || !IsChinese(want) {
			t.Errorf("IsChinese(%q), IsChinese(%q) = %v, %v; want false, true", page, want, IsChinese(page), IsChinese(want))
		}
	}
}

func TestIsRelative(t *testing.T) {
	for dest, want := range map[string]bool{
		"story.md": true, "../04-server/": true, "a.md#x": true,
		"#x": false, "/docs/": false, "https://go.dev": false, "mailto:a@b": false, "C:/x.md": false, "": false,
	} {
		if got := IsRelative(dest); got != want {
			t.Errorf("IsRelative(%q) = %v, want %v", dest, got, want)
		}
	}
}
