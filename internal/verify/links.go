package verify

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/rpcworkshop/workshop/internal/markdown"
)

// pages reads the workshop's Markdown pages on demand, each once.
type pages struct {
	root  string
	cache map[string]*markdown.Doc
}

// page returns the parsed page at rel (slash form), or nil if it cannot be read.
func (p *pages) page(rel string) *markdown.Doc {
	if d, ok := p.cache[rel]; ok {
		return d
	}
	data, err := os.ReadFile(filepath.Join(p.root, filepath.FromSlash(rel)))
	var d *markdown.Doc
	if err == nil {
		d = markdown.Parse(data)
	}
	p.cache[rel] = d
	return d
}

// links: every relative link in every Markdown file of the workshop (docs,
// READMEs, hints) points at a file or folder that exists, and every
// #fragment, on the same page or another, names one of that page's headings.
func (v *verifier) links() Check {
	c := Check{Name: "relative links in Markdown resolve"}
	ps := &pages{root: v.opts.Root, cache: map[string]*markdown.Doc{}}
	var dead []string
	var count int
	v.walk(func(rel string) {
		rel = filepath.ToSlash(rel)
		if !strings.HasSuffix(rel, ".md") {
			return
		}
		doc := ps.page(rel)
		if doc == nil {
			return
		}
		for _, l := range doc.Links {
			if !markdown.IsRelative(l.Dest) && !strings.HasPrefix(l.Dest, "#") {
				continue
			}
			count++
			if problem := checkLink(ps, rel, l.Dest); problem != "" {
				dead = append(dead, fmt.Sprintf("%s:%d %s", rel, l.Line, problem))
			}
		}
	})
	if len(dead) > 0 {
		c.Detail = strings.Join(dead, "\n")
		return c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%d links", count)
	return c
}

// checkLink says what is wrong with a link from page, or "".
func checkLink(ps *pages, page, dest string) string {
	dest, frag, hasFrag := strings.Cut(dest, "#")
	dest, _, _ = strings.Cut(dest, "?")
	target := page
	if dest != "" {
		p, err := url.PathUnescape(dest)
		if err != nil {
			return fmt.Sprintf("links to %s, which is not a valid path: %v", dest, err)
		}
		target = path.Join(path.Dir(page), p)
		if target == ".." || strings.HasPrefix(target, "../") {
			return fmt.Sprintf("links to %s, which is outside the workshop: link to a page inside it, or to a web address", dest)
		}
		info, err := os.Stat(filepath.Join(ps.root, filepath.FromSlash(target)))
		if err != nil {
			return fmt.Sprintf("links to %s, which does not exist: fix the link or restore the file", dest)
		}
		if info.IsDir() {
			target = path.Join(target, "README.md") // the page GitHub and the docs server show
		}
	}
	if !hasFrag || frag == "" || !strings.HasSuffix(target, ".md") {
		return "" // a line anchor in source code is GitHub's business
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	doc := ps.page(target)
	if doc == nil {
		return fmt.Sprintf("links to #%s in %s, a folder without a README", frag, path.Dir(target))
	}
	if doc.HasAnchor(frag) {
		return ""
	}
	where := "this page"
	if target != page {
		where = target
	}
	return fmt.Sprintf("links to #%s, but %s has no heading with that anchor: point it at one of %s", frag, where, anchorList(doc.Anchors()))
}

// anchorList names a page's anchors, the first ten of them.
func anchorList(ids []string) string {
	if len(ids) == 0 {
		return "its headings (it has none)"
	}
	more := ""
	if len(ids) > 10 {
		ids, more = ids[:10], fmt.Sprintf(" (and %d more)", len(ids)-10)
	}
	return "#" + strings.Join(ids, ", #") + more
}
