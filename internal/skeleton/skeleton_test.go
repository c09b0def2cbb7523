package skeleton

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// workshop writes a tiny workshop under a temporary root: one chapter with
// a student file, a given file, a test and test data.
func workshop(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	write(t, root, "course.json", `{"chapters": [{"dir": "01-a", "title": "A", "timeout": "30s",
  "steps": [{"n": 1, "title": "One", "tests": ["TestStep1_A"]}, {"n": 2, "title": "Two", "tests": ["TestStep2_B"]}],
  "files": [
    {"path": "a.go", "role": "student", "steps": [1]},
    {"path": "b.go", "role": "student", "steps": [2]},
    {"path": "made_by_student.go", "role": "student", "steps": [2]},
    {"path": "given.go", "role": "given"},
    {"path": "a_test.go", "role": "test"},
    {"path": "testdata/", "role": "testdata"}]}]}`)
	write(t, root, "go.mod", "module example.com/w\n")
	write(t, root, "01-a/a.go", "package a\n")
	write(t, root, "01-a/b.go", "package a\n\n// B is step 2.\nfunc B() {}\n")
	write(t, root, "01-a/given.go", "package a\n")
	write(t, root, "01-a/a_test.go", "package a\n")
	write(t, root, "01-a/testdata/in.txt", "data\n")
	write(t, root, "01-a/README.md", "# guide\n")
	return root
}

func write(t *testing.T, root, path, content string) {
	t.Helper()
	full := filepath.Join(root, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTheArchiveHoldsOnlyStudentFiles(t *testing.T) {
	t.Parallel()
	root := workshop(t)
	if _, err := Write(root); err != nil {
		t.Fatalf("Write: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(root, File))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "The original version") || !strings.Contains(string(data), "-- 01-a/b.go --\npackage a\n\n// B is step 2.\n") {
		t.Errorf("the archive is not a readable txtar file with its header first:\n%s", data)
	}
	files, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for p := range files.Chapter("01-a") {
		got = append(got, p)
	}
	if len(got) != 2 || files["01-a/a.go"] == nil || files["01-a/b.go"] == nil {
		t.Errorf("the archive holds %v; want the student files a.go and b.go only (not given, test, testdata or guides; not a student file that does not exist yet)", got)
	}
	if string(files["01-a/b.go"]) != "package a\n\n// B is step 2.\nfunc B() {}\n" {
		t.Errorf("b.go came back as %q", files["01-a/b.go"])
	}
}

func TestStale(t *testing.T) {
	t.Parallel()
	root := workshop(t)
	if _, err := Write(root); err != nil {
		t.Fatal(err)
	}
	if stale, err := Stale(root); err != nil || len(stale) != 0 {
		t.Fatalf("Stale right after Write = %v, %v; want nothing", stale, err)
	}
	write(t, root, "01-a/given.go", "package a // a given file is not the archive's business\n")
	write(t, root, "01-a/a.go", "package a\r\n") // CRLF checkout: still fresh
	if stale, err := Stale(root); err != nil || len(stale) != 0 {
		t.Fatalf("Stale after editing a given file and converting a.go to CRLF = %v, %v; want nothing", stale, err)
	}
	write(t, root, "01-a/b.go", "package a // edited\n")
	write(t, root, "01-a/made_by_student.go", "package a\n")
	stale, err := Stale(root)
	want := []string{"01-a/b.go", "01-a/made_by_student.go"}
	if err != nil || strings.Join(stale, " ") != strings.Join(want, " ") {
		t.Errorf("Stale after edits = %v, %v; want %v", stale, err, want)
	}
}

func TestWriteRefusesWhatTxtarCannotKeep(t *testing.T) {
	t.Parallel()
	root := workshop(t)
	write(t, root, "01-a/a.go", "package a") // no newline at the end
	if _, err := Write(root); err == nil || !strings.Contains(err.Error(), "does not end in a newline") {
		t.Errorf("Write with a file lacking its last newline: err = %v, want one that says so", err)
	}
	write(t, root, "01-a/a.go", "package a\n\n/*\n-- evil.go --\n*/\n")
	if _, err := Write(root); err == nil || !strings.Contains(err.Error(), "file marker") {
		t.Errorf("Write with a marker-like line: err = %v, want one that says so", err)
	}
}
