package skeleton

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormatThenParseKeepsEveryByte(t *testing.T) {
	t.Parallel()
	files := Files{
		"01-a/main.go":             []byte("package main\n\nfunc main() {}\n"),
		"01-a/empty.txt":           {},
		"01-a/no-newline.txt":      []byte("no newline at the end"),
		"01-a/looks-like-a-marker": []byte("before\n-- 01-a/evil.go --\nafter\n"),
		"01-a/crlf.txt":            []byte("windows\r\nlines\r\n"),
		"01-a/testdata/frame.bin":  {0, 0, 0, 0, 5, 0xff, 0xfe, '\n', 0},
		"02-b/README.md":           []byte(strings.Repeat("long line of text ", 100) + "\n"),
	}
	archive := Format(files)
	if !bytes.HasPrefix(archive, []byte("# ")) {
		t.Errorf("the archive does not start with its explanatory header:\n%s", archive)
	}
	got, err := Parse(archive)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(got) != len(files) {
		t.Errorf("Parse found %d files, want %d", len(got), len(files))
	}
	for path, want := range files {
		if !bytes.Equal(got[path], want) {
			t.Errorf("%s came back as %q, want %q", path, got[path], want)
		}
	}
	if !bytes.Contains(archive, []byte("-- 01-a/main.go --\npackage main\n")) {
		t.Errorf("a plain Go file is not stored as readable text:\n%s", archive)
	}
	if c := got.Chapter("01-a"); len(c) != 6 || string(c["main.go"]) != string(files["01-a/main.go"]) {
		t.Errorf("Chapter(01-a) = %d files (want 6) with main.go %q", len(c), c["main.go"])
	}
}

func TestWriteAndStale(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write := func(path, content string) {
		t.Helper()
		full := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("01-a/a.go", "package a\n")
	write("01-a/.hidden", "editor state\n")
	write("01-a/testdata/in.txt", "data\n")
	write("01-a/README.md", "# guide\n")
	write("01-a/HINTS.zh-CN.md", "# 提示\n")
	write("01-a/testdata/README.md", "test data, not a guide\n")
	write("internal/skeleton/.keep", "")
	dirs := []string{"01-a"}
	if err := Write(root, dirs); err != nil {
		t.Fatalf("Write: %v", err)
	}
	stale, err := Stale(root, dirs)
	if err != nil || len(stale) != 0 {
		t.Fatalf("Stale right after Write = %v, %v; want nothing", stale, err)
	}
	files, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["01-a/.hidden"]; ok {
		t.Errorf("the archive holds a hidden file")
	}
	for _, guide := range []string{"01-a/README.md", "01-a/HINTS.zh-CN.md"} {
		if _, ok := files[guide]; ok {
			t.Errorf("the archive holds the chapter's guide %s", guide)
		}
	}
	if _, ok := files["01-a/testdata/README.md"]; !ok {
		t.Errorf("the archive lacks 01-a/testdata/README.md, which is test data")
	}

	write("01-a/a.go", "package a // edited\n")
	write("01-a/b.go", "package a\n")
	os.Remove(filepath.Join(root, "01-a/testdata/in.txt"))
	stale, err = Stale(root, dirs)
	want := []string{"01-a/a.go", "01-a/b.go", "01-a/testdata/in.txt"}
	if err != nil || strings.Join(stale, " ") != strings.Join(want, " ") {
		t.Errorf("Stale after edits = %v, %v; want %v", stale, err, want)
	}
}
