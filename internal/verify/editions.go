package verify

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/rpcworkshop/workshop/internal/course"
)

// The Chinese edition: every English page has a twin, README.zh-CN.md beside
// a README, docs/zh-CN/NAME.md for docs/NAME.md. The two must not drift: the
// same code blocks (commands and output) in the same order, the same number
// of sections, a link from each to the other, and the Chinese pages link to
// Chinese pages.

// Twin returns the path of an English page's Chinese twin, relative to the root.
func Twin(page string) string {
	page = filepath.ToSlash(page)
	if rest, ok := strings.CutPrefix(page, "docs/"); ok {
		return "docs/zh-CN/" + rest
	}
	return strings.TrimSuffix(page, ".md") + ".zh-CN.md"
}

// englishPages lists the pages that must have a Chinese twin: the root
// README, each chapter's README and everything in docs/ but docs/zh-CN.
func (v *verifier) englishPages(c *course.Course) []string {
	pages := []string{"README.md"}
	for _, ch := range c.Chapters {
		pages = append(pages, ch.Dir+"/README.md")
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

var (
	codeBlockRE = regexp.MustCompile("(?ms)^(```|~~~)[^\n]*\n(.*?)^(```|~~~)[ \t]*$")
	headingRE   = regexp.MustCompile(`(?m)^#{1,6} `)
)

// compareEditions lists what differs between an English page and its twin.
func compareEditions(en, zh, enText, zhText string, twins map[string]string) []string {
	var problems []string
	enBlocks, zhBlocks := codeBlocks(enText), codeBlocks(zhText)
	for i := 0; i < max(len(enBlocks), len(zhBlocks)); i++ {
		if i >= len(enBlocks) || i >= len(zhBlocks) {
			problems = append(problems, fmt.Sprintf("%s has %d code blocks but %s has %d: the two editions must show the same commands and output",
				en, len(enBlocks), zh, len(zhBlocks)))
			break
		}
		if enBlocks[i] != zhBlocks[i] {
			problems = append(problems, fmt.Sprintf("code block %d differs between %s and %s: make them the same (English: %q, Chinese: %q)",
				i+1, en, zh, firstLine(enBlocks[i]), firstLine(zhBlocks[i])))
		}
	}
	enSections := len(headingRE.FindAllString(stripCode(enText), -1))
	zhSections := len(headingRE.FindAllString(stripCode(zhText), -1))
	if enSections != zhSections {
		problems = append(problems, fmt.Sprintf("%s has %d sections but %s has %d: translate every section, add none", en, enSections, zh, zhSections))
	}
	if !linksTo(en, enText, zh) {
		problems = append(problems, fmt.Sprintf("%s does not link to its Chinese twin %s", en, zh))
	}
	if !linksTo(zh, zhText, en) {
		problems = append(problems, fmt.Sprintf("%s does not link back to its English twin %s", zh, en))
	}
	for _, target := range pageLinks(zh, zhText) {
		if twin, ok := twins[target]; ok && target != en {
			problems = append(problems, fmt.Sprintf("%s links to the English %s: link to its Chinese twin %s instead", zh, target, twin))
		}
	}
	return problems
}

func codeBlocks(text string) []string {
	var blocks []string
	for _, m := range codeBlockRE.FindAllStringSubmatch(text, -1) {
		blocks = append(blocks, m[2])
	}
	return blocks
}

func stripCode(text string) string { return codeBlockRE.ReplaceAllString(text, "") }

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// pageLinks returns the pages a Markdown page links to, relative to the root.
func pageLinks(page, text string) []string {
	var out []string
	text = spanRE.ReplaceAllString(stripCode(text), "")
	for _, m := range linkRE.FindAllStringSubmatch(text, -1) {
		target := m[1]
		if schemeRE.MatchString(target) || strings.HasPrefix(target, "#") {
			continue
		}
		target, _, _ = strings.Cut(target, "#")
		out = append(out, filepath.ToSlash(filepath.Join(filepath.Dir(page), target)))
	}
	return out
}

func linksTo(page, text, target string) bool {
	return slices.Contains(pageLinks(page, text), target)
}
