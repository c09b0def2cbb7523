// Package skeleton keeps the original version of every student file of the
// workshop, so that "workshop reset" can restore a chapter without git. It
// holds only what has no other copy, the student files (and the few shared
// files that only a chapter has): a chapter's tests, test data and given
// files are the same as its solution's, and reset takes them from there.
//
// The copy is one txtar archive, skeleton.txtar, written from the chapters
// as committed:
//
//	go generate ./internal/skeleton
//
// Run it whenever a student file's skeleton changes; Stale says when it is
// due, and the verify command fails until it is done.
package skeleton

//go:generate go run ./snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/txtar"

	"github.com/rpcworkshop/workshop/internal/course"
)

// File is where the archive lives, relative to the workshop's root.
const File = "internal/skeleton/skeleton.txtar"

const header = `The original version of each chapter's student files, which "workshop reset" restores.
Written by "go generate ./internal/skeleton"; do not edit by hand.
`

// Files maps a slash-separated path under the root (such as
// "01-rpc-basics/codec.go") to its content.
type Files map[string][]byte

// Collect reads the files of every written chapter under root that have
// no other copy: the student files, and the shared files that live only in
// the chapter (chapter 02's employeepb). A student file the skeleton does
// not ship (one the student creates, such as chapter 03's generated code)
// is simply absent.
func Collect(root string, c *course.Course) (Files, error) {
	files := Files{}
	for _, ch := range c.Chapters {
		for _, f := range ch.FilesWith(course.Student, course.Shared) {
			p := ch.Dir + "/" + f.Path
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			files[p] = data
		}
	}
	return files, nil
}

// Format writes files as a txtar archive, sorted by path.
func Format(files Files) []byte {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	a := &txtar.Archive{Comment: []byte(header)}
	for _, p := range paths {
		a.Files = append(a.Files, txtar.File{Name: p, Data: files[p]})
	}
	return txtar.Format(a)
}

// check says why files cannot be stored in a txtar archive as they are, or
// returns nil. txtar keeps text that ends in a newline and has no line
// that looks like a file marker; student files are Go and .proto source.
func check(files Files) error {
	for p, data := range files {
		if len(data) > 0 && data[len(data)-1] != '\n' {
			return fmt.Errorf("%s does not end in a newline; add one (gofmt does), then try again", p)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimRight(line, "\r"), " --") {
				return fmt.Errorf("%s has a line that looks like a txtar file marker: %q", p, line)
			}
		}
	}
	return nil
}

// Parse reads an archive written by Format. An archive checked out with
// CRLF line ends (a Windows checkout) reads the same as with LF, so that
// reset writes back the LF files the repository holds.
func Parse(data []byte) Files {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	files := Files{}
	for _, f := range txtar.Parse(data).Files {
		files[f.Name] = f.Data
	}
	return files
}

// Load reads the archive of the workshop rooted at root.
func Load(root string) (Files, error) {
	data, err := os.ReadFile(filepath.Join(root, File))
	if err != nil {
		return nil, err
	}
	return Parse(data), nil
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

// Write collects the student files of the workshop rooted at root and
// writes the archive there.
func Write(root string) (Files, error) {
	c, err := course.Load(root)
	if err != nil {
		return nil, err
	}
	files, err := Collect(root, c)
	if err != nil {
		return nil, err
	}
	if err := check(files); err != nil {
		return nil, err
	}
	path := filepath.Join(root, filepath.FromSlash(File))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return files, os.WriteFile(path, Format(files), 0o644)
}

// Stale compares the archive with the student files of the workshop rooted
// at root and returns the paths that differ (changed, added or removed),
// sorted. Nothing differs in a fresh clone; a student's edits, of course,
// do, so only the verify command calls it. Line ends do not count: a
// checkout with CRLF is as fresh as one with LF.
func Stale(root string) ([]string, error) {
	c, err := course.Load(root)
	if err != nil {
		return nil, err
	}
	want, err := Collect(root, c)
	if err != nil {
		return nil, err
	}
	got, err := Load(root)
	if err != nil {
		return nil, err
	}
	var differ []string
	for p, data := range want {
		if old, ok := got[p]; !ok || !Same(old, data) {
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

// Same reports whether two versions of a file are the same text, whatever
// their line ends.
func Same(a, b []byte) bool {
	return bytes.Equal(bytes.ReplaceAll(a, []byte("\r\n"), []byte("\n")), bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")))
}

// CheckpointDir is the folder, in a chapter's solution, that holds a file
// as it stands once a step is done, for the files that take part in more
// than one step (chapter 05's run.go grows over steps 2, 3 and 4):
// solutions/05-client/_checkpoints/step2/run.go is run.go with step 2 done
// and steps 3 and 4 still to do. Go ignores folders whose name begins with
// "_", so the copies are not compiled with the solution. A checkpoint also
// stands in for the solution's own file where that one cannot go into the
// chapter as it is (chapter 03's generated code names the solution's import
// path).
const CheckpointDir = "_checkpoints"

// Jump says how to bring a chapter to the start of step: the student files
// of the steps before it, as the solution has them once those steps are
// done. It maps each such file, by its path in the chapter, to the file to
// copy there, slash-separated under the root. Files of step and later are
// not in it: they stay as they are. A step one past the last is the end
// of the chapter: every student file, as the solution has it.
func Jump(root string, ch course.Chapter, step int) (map[string]string, error) {
	if step < 1 || step > len(ch.Steps)+1 {
		return nil, fmt.Errorf("%s has no step %d", ch.Dir, step)
	}
	out := map[string]string{}
	for _, f := range ch.FilesWith(course.Student) {
		k := 0 // the last step before step that f takes part in
		for _, n := range f.Steps {
			if n < step {
				k = max(k, n)
			}
		}
		if k == 0 {
			continue
		}
		checkpoint := fmt.Sprintf("%s/%s/step%d/%s", filepath.ToSlash(ch.SolutionDir()), CheckpointDir, k, f.Path)
		if exists(root, checkpoint) {
			out[f.Path] = checkpoint
			continue
		}
		if k < f.LastStep() {
			return nil, fmt.Errorf("%s takes part in steps %v, so starting at step %d needs it as it is after step %d: %s is missing", f.Path, f.Steps, step, k, checkpoint)
		}
		solved := filepath.ToSlash(ch.SolutionDir()) + "/" + f.Path
		if !exists(root, solved) {
			return nil, fmt.Errorf("the solution has no %s", solved)
		}
		out[f.Path] = solved
	}
	return out, nil
}

func exists(root, rel string) bool {
	info, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil && !info.IsDir()
}
