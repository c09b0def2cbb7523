package verify

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/markdown"
)

// The Chinese edition: every English page has a twin, README.zh-CN.md beside
// a README, docs/zh-CN/NAME.md for docs/NAME.md. The two must not drift: the
// same code blocks (commands and output) in the same order, the same number
// of sections, a link from each to the other, and the Chinese pages link to
// Chinese pages.

// Twin returns the path of an English page's Chinese twin, relative to the
// root, by the workshop's one rule (markdown.Twin).
func Twin(page string) string { return markdown.Twin(filepath.ToSlash(page)) }

// englishPages lists the pages that must have a Chinese twin: the root
// README, each chapter's README and HINTS.md (the hints `workshop hint`
// shows, in the student's language), and everything in docs/ but docs/zh-CN.
func (v *verifier) englishPages(c *course.Course) []string {
	pages := []string{"README.md"}
	for _, ch := range c.Chapters {
		pages = append(pages, ch.Dir+"/README.md")
		if _, err := os.Stat(filepath.Join(v.opts.Root, ch.Dir, "HINTS.md")); err == nil {
			pages = append(pages, ch.Dir+"/HINTS.md")
		}
	}
	v.walk(func(rel string) {
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "docs/") && !strings.HasPrefix(rel, "docs/zh-CN/") && strings.HasSuffix(rel, ".md") {
			pages = append(pages, rel)
		}
	})
	return pages
}

// editions checks that each English page and its Chinese twin are in step.
func (v *verifier) editions(c *course.Course) Check {
	check := Check{Name: "the Chinese edition is in step with the English"}
	pages := v.englishPages(c)
	twins := map[string]string{}
	for _, p := range pages {
		twins[p] = Twin(p)
	}
	var problems []string
	for _, en := range pages {
		zh := twins[en]
		enText, err := os.ReadFile(filepath.Join(v.opts.Root, en))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s is missing", en))
			continue
		}
		zhText, err := os.ReadFile(filepath.Join(v.opts.Root, zh))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s has no Chinese twin: write %s", en, zh))
			continue
		}
		problems = append(problems, compareEditions(en, zh, string(enText), string(zhText), twins)...)
	}
	if len(problems) > 0 {
		check.Detail = strings.Join(problems, "\n")
		return check
	}
	check.OK = true
	check.Detail = fmt.Sprintf("%d pages and their twins", len(pages))
	return check
}

// compareEditions lists what differs between an English page and its twin.
func compareEditions(en, zh, enText, zhText string, twins map[string]string) []string {
	var problems []string
	enDoc, zhDoc := markdown.Parse([]byte(enText)), markdown.Parse([]byte(zhText))
	enBlocks, zhBlocks := enDoc.CodeBlocks, zhDoc.CodeBlocks
	for i := 0; i < max(len(enBlocks), len(zhBlocks)); i++ {
		if i >= len(enBlocks) || i >= len(zhBlocks) {
			problems = append(problems, fmt.Sprintf("%s has %d code blocks but %s has %d: the two editions must show the same commands and output",
				en, len(enBlocks), zh, len(zhBlocks)))
			break
		}
		if enBlocks[i].Text != zhBlocks[i].Text {
			problems = append(problems, fmt.Sprintf("code block %d differs between %s (line %d) and %s (line %d): make them the same (English: %q, Chinese: %q)",
				i+1, en, enBlocks[i].Line, zh, zhBlocks[i].Line, firstLine(enBlocks[i].Text), firstLine(zhBlocks[i].Text)))
		}
	}
	enSections, zhSections := enDoc.Headings, zhDoc.Headings
	if len(enSections) != len(zhSections) {
		problems = append(problems, fmt.Sprintf("%s has %d sections but %s has %d: translate every section, add none", en, len(enSections), zh, len(zhSections)))
	} else {
		for i, h := range enSections {
			if z := zhSections[i]; z.Level != h.Level {
				problems = append(problems, fmt.Sprintf("section %d is a level-%d heading in %s (%q, line %d) but level %d in %s (%q, line %d): give both the same level",
					i+1, h.Level, en, h.Text, h.Line, z.Level, zh, z.Text, z.Line))
				break
			}
		}
	}
	if !slices.Contains(pageLinks(en, enDoc), zh) {
		problems = append(problems, fmt.Sprintf("%s does not link to its Chinese twin %s", en, zh))
	}
	zhLinks := pageLinks(zh, zhDoc)
	if !slices.Contains(zhLinks, en) {
		problems = append(problems, fmt.Sprintf("%s does not link back to its English twin %s", zh, en))
	}
	for _, target := range zhLinks {
		if twin, ok := twins[target]; ok && target != en {
			problems = append(problems, fmt.Sprintf("%s links to the English %s: link to its Chinese twin %s instead", zh, target, twin))
		}
	}
	return problems
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// pageLinks returns the files a Markdown page links to, relative to the root.
func pageLinks(page string, doc *markdown.Doc) []string {
	var out []string
	for _, l := range doc.Links {
		if !markdown.IsRelative(l.Dest) {
			continue
		}
		target, _, _ := strings.Cut(l.Dest, "#")
		target, _, _ = strings.Cut(target, "?")
		out = append(out, path.Join(path.Dir(page), target))
	}
	return out
}
