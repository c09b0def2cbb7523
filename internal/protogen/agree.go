package protogen

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Agree generates code for files in dir twice, with protoc and in Go, each
// into a temporary folder, and reports every file on which the two differ
// beyond the line naming protoc's version. It needs protoc (ErrNoProtoc
// without it). The verify command and this package's tests use it to show
// that the Go path gives protoc's code for every .proto of the workshop.
func Agree(dir string, files ...string) error {
	if _, _, err := Protoc(); err != nil {
		return err
	}
	withProtoc, err := os.MkdirTemp("", "protogen-protoc-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(withProtoc)
	inGo, err := os.MkdirTemp("", "protogen-go-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(inGo)
	if err := GenerateProtoc(dir, withProtoc, files...); err != nil {
		return err
	}
	if err := GenerateGo(dir, inGo, nil, files...); err != nil {
		return fmt.Errorf("protoc compiles %s but the Go path does not: %v", strings.Join(files, " "), err)
	}
	a, b := generatedFiles(withProtoc), generatedFiles(inGo)
	names := slices.Compact(slices.Sorted(slices.Values(append(slices.Collect(maps.Keys(a)), slices.Collect(maps.Keys(b))...))))
	var problems []string
	for _, name := range names {
		want, got := a[name], b[name]
		switch {
		case want == nil:
			problems = append(problems, fmt.Sprintf("%s: only the Go path writes it", name))
		case got == nil:
			problems = append(problems, fmt.Sprintf("%s: only protoc writes it", name))
		case !bytes.Equal(StripVersion(want), StripVersion(got)):
			problems = append(problems, fmt.Sprintf("%s: the Go path writes different code than protoc (first difference at line %d)",
				name, firstDifference(StripVersion(want), StripVersion(got))))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s in %s:\n%s", strings.Join(files, " "), dir, strings.Join(problems, "\n"))
	}
	return nil
}

// generatedFiles reads every file under dir, by slash-separated path.
func generatedFiles(dir string) map[string][]byte {
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files[filepath.ToSlash(rel)], _ = os.ReadFile(path)
		}
		return nil
	})
	return files
}

// firstDifference returns the 1-based number of the first line on which a
// and b differ.
func firstDifference(a, b []byte) int {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}
