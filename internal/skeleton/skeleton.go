// Package skeleton keeps a pristine copy of every chapter's code, tests and
// test data, so that "workshop reset" can restore a chapter without git. The copy is one text
// file, skeleton.txtar, written from the chapters as committed:
//
//	go generate ./internal/skeleton
//
// Run it whenever a chapter's skeleton changes; Stale says when it is due.
package skeleton

//go:generate go run ./snapshot

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"github.com/rpcworkshop/workshop/internal/course"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// File is where the archive lives, relative to the workshop's root.
const File = "internal/skeleton/skeleton.txtar"

const header = `# The original skeleton of each chapter, which "workshop reset" restores.
# Written by "go generate ./internal/skeleton"; do not edit by hand.
`

// Files maps a slash-separated path under the root (such as
// "01-rpc-basics/employee.go") to its content.
type Files map[string][]byte

// Collect reads every file of the given chapter folders under root,
// leaving out hidden files and folders and the chapters' guides.
func Collect(root string, dirs []string) (Files, error) {
	files := Files{}
	for _, dir := range dirs {
		base := filepath.Join(root, dir)
		err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != base && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || (filepath.Dir(path) == base && course.IsGuide(d.Name())) {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files[filepath.ToSlash(rel)] = data
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// marker is the line before each file: "-- path --", or
// "-- path (base64) --" for a file that is not plain text.
var marker = regexp.MustCompile(`^-- (\S+?)( \(base64\))? --$`)

// Format writes files as a txtar-like archive, sorted by path.
func Format(files Files) []byte {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var b bytes.Buffer
	b.WriteString(header)
	for _, p := range paths {
		data := files[p]
		if isPlainText(data) {
			fmt.Fprintf(&b, "-- %s --\n", p)
			b.Write(data)
			continue
		}
		fmt.Fprintf(&b, "-- %s (base64) --\n", p)
		enc := base64.StdEncoding.EncodeToString(data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\n")
			enc = enc[76:]
		}
		if enc != "" {
			b.WriteString(enc + "\n")
		}
	}
	return b.Bytes()
}

// isPlainText reports whether data can be stored as it is: UTF-8 text
// ending in a newline, without carriage returns or marker-like lines.
func isPlainText(data []byte) bool {
	if len(data) == 0 {
		return true
	}
	if !utf8.Valid(data) || data[len(data)-1] != '\n' || bytes.ContainsRune(data, '\r') {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if marker.MatchString(line) {
			return false
		}
	}
	return true
}

// Parse reads an archive written by Format.
func Parse(data []byte) (Files, error) {
	files := Files{}
	var path string
	var isBase64 bool
	var body strings.Builder
	flush := func() error {
		if path == "" {
			return nil
		}
		content := []byte(body.String())
		if isBase64 {
			var err error
			content, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(body.String(), "\n", ""))
			if err != nil {
				return fmt.Errorf("%s: %s: %v", File, path, err)
			}
		}
		files[path] = content
		return nil
	}
	text := string(data)
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		if m := marker.FindStringSubmatch(line); m != nil {
			if err := flush(); err != nil {
				return nil, err
			}
			path, isBase64 = m[1], m[2] != ""
			body.Reset()
			continue
		}
		if path != "" {
			body.WriteString(line + "\n")
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return files, nil
}

// Load reads the archive of the workshop rooted at root.
func Load(root string) (Files, error) {
	data, err := os.ReadFile(filepath.Join(root, File))
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Chapter returns the files of one chapter folder, by their path inside it.
func (f Files) Chapter(dir string) Files {
	out := Files{}
	for p, data := range f {
		if rel, ok := strings.CutPrefix(p, dir+"/"); ok {
			out[rel] = data
		}
	}
	return out
}

// Write collects the chapters and writes the archive under root.
func Write(root string, dirs []string) error {
	files, err := Collect(root, dirs)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, File), Format(files), 0o644)
}

// Stale compares the archive with the chapter folders under root and
// returns the paths that differ (changed, added or removed), sorted.
// Nothing differs in a fresh clone; a student's edits, of course, do.
func Stale(root string, dirs []string) ([]string, error) {
	want, err := Collect(root, dirs)
	if err != nil {
		return nil, err
	}
	got, err := Load(root)
	if err != nil {
		return nil, err
	}
	var differ []string
	for p, data := range want {
		if old, ok := got[p]; !ok || !bytes.Equal(old, data) {
			differ = append(differ, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			differ = append(differ, p)
		}
	}
	slices.Sort(differ)
	return differ, nil
}
