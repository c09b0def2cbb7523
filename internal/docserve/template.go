package docserve

import "html/template"

// pageTemplate is every page: the navigation bar, the body, and a style
// sheet inline, so that nothing is fetched. Wide tables and code blocks
// (ASCII diagrams included) scroll inside their own box; the page itself
// never scrolls sideways.
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
* { box-sizing: border-box; }
body { font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  max-width: 52rem; margin: 0 auto; padding: 0 1rem 4rem; color: #1d1d1f; overflow-wrap: break-word; }
nav.bar { display: flex; flex-wrap: wrap; gap: .2rem .9rem; align-items: baseline; border-bottom: 1px solid #ddd;
  padding: .6rem 0; margin-bottom: 1rem; font-size: .9rem; }
nav.bar .path { margin-left: auto; color: #777; }
a { color: #0b57d0; }
main { min-width: 0; }
pre { background: #f5f5f7; padding: .8rem; overflow-x: auto; max-width: 100%; border-radius: 4px; line-height: 1.35; white-space: pre; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; }
:not(pre) > code { background: #f0f0f2; padding: .05em .3em; border-radius: 3px; overflow-wrap: anywhere; }
table { display: block; max-width: 100%; width: max-content; overflow-x: auto; border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f5f5f7; }
td code, th code { overflow-wrap: normal; white-space: nowrap; }
img { max-width: 100%; }
blockquote { border-left: 4px solid #ddd; margin-left: 0; padding-left: 1rem; color: #555; }
nav.toc { border: 1px solid #e3e3e6; background: #fafafb; border-radius: 4px; padding: .5rem 1rem; margin: 1rem 0 1.5rem; font-size: .92rem; }
nav.toc p { margin: 0 0 .2rem; font-weight: 600; }
nav.toc ul { margin: 0; padding-left: 1.2rem; }
ul.listing { list-style: none; padding-left: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
</style>
</head>
<body>
<nav class="bar">{{range .Nav}}<a href="{{.Href}}">{{.Text}}</a>{{end}}{{if .HasTwin}}<a href="{{.Twin.Href}}" hreflang="{{if eq .Twin.Text "English"}}en{{else}}zh-CN{{end}}" lang="{{if eq .Twin.Text "English"}}en{{else}}zh-CN{{end}}">{{.Twin.Text}}</a>{{end}}<span class="path">{{.Path}}</span></nav>
<main>
{{.Body}}
</main>
</body>
</html>
`))
