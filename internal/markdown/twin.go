package markdown

import (
	"path"
	"strings"
)

// Every page has a Chinese twin, by one rule: docs/NAME.md has
// docs/zh-CN/NAME.md; any other NAME.md has NAME.zh-CN.md beside it
// (README.zh-CN.md, HINTS.zh-CN.md).

// IsChinese reports whether a page, by its path relative to the workshop's
// root in slash form, is a Chinese edition.
func IsChinese(page string) bool {
	return strings.HasPrefix(page, "docs/zh-CN/") || strings.HasSuffix(page, ".zh-CN.md")
}

// Lang is the page's language as HTML's lang attribute names it.
func Lang(page string) string {
	if IsChinese(page) {
		return "zh-CN"
	}
	return "en"
}

// Twin returns the other edition of a page: the Chinese twin of an English
// page, the English original of a Chinese one. Paths are relative to the
// workshop's root, in slash form.
func Twin(page string) string {
	page = path.Clean(strings.ReplaceAll(page, `\`, "/"))
	switch {
	case strings.HasPrefix(page, "docs/zh-CN/"):
		return "docs/" + strings.TrimPrefix(page, "docs/zh-CN/")
	case strings.HasPrefix(page, "docs/"):
		return "docs/zh-CN/" + strings.TrimPrefix(page, "docs/")
	case strings.HasSuffix(page, ".zh-CN.md"):
		return strings.TrimSuffix(page, ".zh-CN.md") + ".md"
	default:
		return strings.TrimSuffix(page, ".md") + ".zh-CN.md"
	}
}
