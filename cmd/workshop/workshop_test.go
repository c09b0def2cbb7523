package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/skeleton"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// The tests run the command in a temporary copy of testdata/workshop, a
// tiny workshop of its own: one written chapter (01-sample, two steps),
// its solution, and one planned chapter. Nothing in the repository changes.

// fixture copies the sample workshop into a temporary folder, writes its
// original-skeleton archive and returns its root.
func fixture(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	src := filepath.Join("testdata", "workshop")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		return writeFile(filepath.Join(root, rel), data)
	})
	if err != nil {
		t.Fatalf("copying the sample workshop: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(root, "internal", "skeleton"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := skeleton.Write(root); err != nil {
		t.Fatalf("writing the skeleton archive: %v", err)
	}
	return root
}

type result struct {
	stdout, stderr string
	code           int
}

// workshop runs the command with args in dir, answering stdin.
func workshop(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	return workshopEnv(t, dir, stdin, nil, args...)
}

// workshopEnv is workshop with environment variables.
func workshopEnv(t *testing.T, dir, stdin string, env map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, dir, strings.NewReader(stdin), &stdout, &stderr, func(k string) string { return env[k] })
	return result{stdout.String(), stderr.String(), code}
}

// expect checks the exit code and that the output holds each want, in order.
func (r result) expect(t *testing.T, code int, wants ...string) {
	t.Helper()
	out := r.stdout + r.stderr
	if r.code != code {
		t.Errorf("exit code %d, want %d; output:\n%s", r.code, code, out)
	}
	rest := out
	for _, want := range wants {
		i := strings.Index(rest, want)
		if i < 0 {
			t.Errorf("output lacks %q (or has it out of order); output:\n%s", want, out)
			return
		}
		rest = rest[i+len(want):]
	}
}

// refuse checks that the output does not hold s.
func (r result) refuse(t *testing.T, s string) {
	t.Helper()
	if out := r.stdout + r.stderr; strings.Contains(out, s) {
		t.Errorf("output holds %q, which it should not; output:\n%s", s, out)
	}
}

// solveStep1 makes Greet work but leaves WordCount unfinished.
func solveStep1(t *testing.T, root string) {
	t.Helper()
	replaceIn(t, root, "01-sample/greet.go",
		`return "", errors.New("step 1: Greet is not implemented yet")`,
		`return "Hello, " + name + "!", nil`)
}

// solveAll copies the solution over the chapter.
func solveAll(t *testing.T, root string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "solutions/01-sample/greet.go"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "01-sample/greet.go"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// replaceIn replaces old with new in a file of the workshop.
func replaceIn(t *testing.T, root, file, old, new string) {
	t.Helper()
	path := filepath.Join(root, file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestProgressTable(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	workshop(t, root, "").expect(t, exitOK,
		"Your workshop: 0 of 1 chapters done, 1 more planned",
		"01-sample", "A sample chapter", "0/2", "next: step 1, Greet a name",
		"02-planned", "planned",
		"Next: 01-sample, step 1: Greet a name",
		"go -C 01-sample test -run Step1",
		"go run ./cmd/workshop hint 01 1")

	solveStep1(t, root)
	r := workshop(t, root, "")
	r.expect(t, exitOK, "1/2", "next: step 2, Count words", "go -C 01-sample test -run Step2")
	r.refuse(t, "0/0") // a planned chapter is not "0 of 0 done"

	// From inside the chapter, the commands are written from there.
	workshop(t, filepath.Join(root, "01-sample"), "").expect(t, exitOK,
		"1/2", "Run:    go test -run Step2", "go run ../cmd/workshop hint 01 2")

	solveAll(t, root)
	workshop(t, root, "").expect(t, exitOK, "1 of 1 chapters done", "2/2", "done", "Every chapter that is written is done")
}

// A chapter exactly as shipped is not run: by the chapter contract its
// skeleton fails every step. To see that no test ran, make the shipped
// copy a finished one: the table must still say 0/2.
func TestProgressSkipsAChapterStillAsShipped(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	solveAll(t, root)
	if _, err := skeleton.Write(root); err != nil {
		t.Fatal(err)
	}
	workshop(t, root, "").expect(t, exitOK, "0/2", "next: step 1")
	replaceIn(t, root, "01-sample/greet.go", "Greet says hello", "Greet says hello (edited)")
	workshop(t, root, "").expect(t, exitOK, "2/2", "done")
}

// A student whose language is Chinese is pointed at the Chinese guide.
func TestChineseGuide(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	zh := map[string]string{"LANG": "zh_CN.UTF-8"}
	workshopEnv(t, root, "", zh).expect(t, exitOK, `Read:   01-sample/README.zh-CN.md, section "第 1 步"`)
	workshopEnv(t, root, "", zh, "check", "01").expect(t, exitNotDone, `Read:   01-sample/README.zh-CN.md, section "第 1 步"`)
	workshopEnv(t, root, "", map[string]string{"LANG": "en_GB.UTF-8"}).expect(t, exitOK, `Read:   01-sample/README.md, section "Step 1"`)

	hints := "## 第 1 步：问候\n\n### 提示 1\n\n看看 fmt.Sprintf。\n"
	if err := os.WriteFile(filepath.Join(root, "01-sample", "HINTS.zh-CN.md"), []byte(hints), 0o644); err != nil {
		t.Fatal(err)
	}
	workshopEnv(t, root, "", zh, "hint", "01", "1").expect(t, exitOK, "Hint 1 of 1:", "看看 fmt.Sprintf。")
	workshop(t, root, "", "hint", "01", "1").expect(t, exitOK, "Hint 2 of 3:", `The format is "Hello, %s!".`)

	if err := os.Remove(filepath.Join(root, "01-sample", "README.zh-CN.md")); err != nil {
		t.Fatal(err)
	}
	workshopEnv(t, root, "", zh).expect(t, exitOK, `Read:   01-sample/README.md, section "Step 1"`)
}

func TestProgressShowsABrokenChapter(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	replaceIn(t, root, "01-sample/greet.go", "func WordCount", "func WordCount(")
	workshop(t, root, "").expect(t, exitOK, "01-sample", "?/2", "does not compile", "See why: go run ./cmd/workshop check 01")
}

func TestCheckReportsTheFirstFailingStep(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	r := workshop(t, root, "", "check", "01")
	r.expect(t, exitNotDone,
		"01-sample: A sample chapter (0 of 2 steps done)",
		"not yet  step 1  Greet a name   <- next",
		"not yet  step 2  Count words",
		"Step 1 is not done yet:",
		"TestStep1_Greet: greet_test.go:", "step 1: Greet is not implemented yet: open greet.go",
		"go -C 01-sample test -run Step1",
		"go run ./cmd/workshop hint 01 1")
	r.refuse(t, "WordCount is not implemented") // one failing step at a time
	r.refuse(t, "=== RUN")                      // no raw go test noise without -v

	solveStep1(t, root)
	workshop(t, root, "", "check", "01-sample").expect(t, exitNotDone,
		"(1 of 2 steps done)", "done     step 1", "not yet  step 2  Count words   <- next",
		"TestStep2_Empty: ", "TestStep2_WordCount: ", "step 2: WordCount is not implemented yet")

	solveAll(t, root)
	workshop(t, root, "", "check", "1").expect(t, exitOK, "(2 of 2 steps done)", "Every step of 01-sample passes")
}

func TestCheckVerboseShowsRawOutput(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	workshop(t, root, "", "check", "-v", "01").expect(t, exitNotDone,
		"=== RUN   TestStep1_Greet", "--- FAIL: TestStep1_Greet", "Step 1 is not done yet:")
}

func TestCheckWithoutChapterUsesWhereYouAre(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	workshop(t, filepath.Join(root, "01-sample"), "", "check").expect(t, exitNotDone,
		"01-sample: A sample chapter", "Run:    go test -run Step1", "go run ../cmd/workshop hint 01 1")
	workshop(t, root, "", "check").expect(t, exitNotDone, "01-sample: A sample chapter")
}

func TestCheckExplainsWhatStoppedTheTests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		old, new string
		wants    []string
	}{
		{
			name:  "does not compile",
			old:   `return 0, errors.New("step 2: WordCount is not implemented yet")`,
			new:   `return undefinedThing, nil`,
			wants: []string{"Stopped: does not compile", "undefined: undefinedThing", "Fix the first error above"},
		},
		{
			name:  "panics",
			old:   `return "", errors.New("step 1: Greet is not implemented yet")`,
			new:   `var m map[string]int; m[name] = 1; return "", nil`,
			wants: []string{"Stopped: a test panicked", "panic: assignment to entry in nil map", "It happened in your code at greet.go:8, in Greet.", "check 01 -v"},
		},
		{
			name:  "hangs",
			old:   `return "", errors.New("step 1: Greet is not implemented yet")`,
			new:   `select {}`,
			wants: []string{"Stopped: a test ran past the 3s timeout", "panic: test timed out after 3s", "TestStep1_Greet", "It happened in your code at greet.go:8, in Greet.", "a read without a deadline?"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := fixture(t)
			replaceIn(t, root, "course.json", `"timeout": "30s"`, `"timeout": "3s"`)
			replaceIn(t, root, "01-sample/greet.go", tt.old, tt.new)
			workshop(t, root, "", "check", "01").expect(t, exitNotDone, tt.wants...)
		})
	}
}

func TestCheckNamesTestsThatDidNotRun(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	solveAll(t, root)
	replaceIn(t, root, "course.json", `"TestStep2_Empty"]`, `"TestStep2_Empty", "TestStep2_Missing"]`)
	workshop(t, root, "", "check", "01").expect(t, exitNotDone,
		"done     step 1", "not yet  step 2",
		"TestStep2_Missing did not run: course.json lists it for step 2")
}

func TestUnknownChapterOrStep(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	tests := []struct {
		args  []string
		wants []string
	}{
		{[]string{"check", "07"}, []string{`unknown chapter "07"; the chapters are: 01-sample, 02-planned`}},
		{[]string{"check", "02"}, []string{"chapter 02-planned is planned but not written yet", "you can work on are: 01-sample"}},
		{[]string{"check", "01", "02"}, []string{"check takes one chapter"}},
		{[]string{"check", "-x"}, []string{"unknown flag -x"}},
		{[]string{"hint", "01", "3"}, []string{`chapter 01-sample has no step "3"; its steps are 1 to 2`, "1  Greet a name", "2  Count words"}},
		{[]string{"hint", "nope"}, []string{`unknown chapter "nope"`}},
		{[]string{"diff"}, []string{"usage: go run ./cmd/workshop diff <chapter> [file]"}},
		{[]string{"diff", "01", "nope.go"}, []string{`01-sample has no file "nope.go"; its files are:`, "greet.go"}},
		{[]string{"solution", "01", "nope.go"}, []string{`01-sample has no file "nope.go"`}},
		{[]string{"reset"}, []string{"reset <chapter>|--all [-y]"}},
		{[]string{"reset", "01", "--all"}, []string{"one chapter, or --all"}},
		{[]string{"reset", "01", "--remove-backups"}, []string{"--remove-backups goes with --all"}},
		{[]string{"jump", "01"}, []string{"usage: go run ./cmd/workshop jump <chapter> <step>|end [-y]"}},
		{[]string{"jump", "01", "3"}, []string{`chapter 01-sample has no step "3"`}},
		{[]string{"jump", "01", "1"}, []string{"step 1 is where 01-sample starts", "reset 01"}},
		{[]string{"skip"}, []string{"usage: go run ./cmd/workshop skip <chapter> [--undo]"}},
		{[]string{"skip", "02"}, []string{"chapter 02-planned is planned but not written yet"}},
		{[]string{"watch", "9"}, []string{`unknown chapter "9"`}},
		{[]string{"frobnicate"}, []string{`unknown subcommand "frobnicate"; the subcommands are: check, hint`}},
		{[]string{"01"}, []string{`unknown subcommand "01"`, "To check a chapter: check 01"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, "_"), func(t *testing.T) {
			r := workshop(t, root, "", tt.args...)
			r.expect(t, exitUsage, tt.wants...)
			if r.stdout != "" {
				t.Errorf("a usage error printed on stdout; it belongs on stderr:\n%s", r.stdout)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"help", "-h", "--help"} {
		r := workshop(t, t.TempDir(), "", arg) // help works even outside the workshop
		r.expect(t, exitOK, "check [chapter] [-v]", "hint [chapter] [step]", "watch [chapter]", "diff <chapter> [file]",
			"reset <chapter>|--all [-y]", "solution <chapter> [file]", "verify", "docs", "Exit codes: 0", "NO_COLOR")
	}
}

func TestOutsideTheWorkshop(t *testing.T) {
	t.Parallel()
	workshop(t, t.TempDir(), "", "check").expect(t, exitNotDone, "is not inside the workshop", "cd into the workshop's folder")
}

func TestHintIsGraduated(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	r := workshop(t, root, "", "hint", "01", "1")
	r.expect(t, exitOK, "01-sample, step 1: Greet a name. Hint 1 of 3:", "Look at fmt.Sprintf.", "Ask again for hint 2: go run ./cmd/workshop hint 01 1")
	r.refuse(t, "Hello, %s!")
	workshop(t, root, "", "hint", "01", "1").expect(t, exitOK, "Hint 2 of 3:", `The format is "Hello, %s!".`)
	workshop(t, root, "", "hint", "01", "1").expect(t, exitOK, "Hint 3 of 3:", "nil error", "That is the last hint for step 1", "diff 01")
	workshop(t, root, "", "hint", "01", "1").expect(t, exitOK, "Hint 3 of 3:", "That is the last hint")

	// Each step counts on its own; without a step, the first one not done.
	workshop(t, root, "", "hint", "01").expect(t, exitOK, "step 1: Greet a name. Hint 3 of 3")
	solveStep1(t, root)
	r = workshop(t, root, "", "hint", "1")
	r.expect(t, exitOK, "step 2: Count words. Hint 1 of 2:", "The strings package", "## Step 9 inside a code block")
	r.refuse(t, "strings.Fields")

	r = workshop(t, root, "", "hint", "01", "2", "--all")
	r.expect(t, exitOK, "Hint 1 of 2:", "Hint 2 of 2:", "strings.Fields", "That is the last hint")

	solveAll(t, root)
	workshop(t, root, "", "hint", "01").expect(t, exitOK, "Every step of 01-sample passes: there is no next step to hint at.", "hint 01 <step>")
}

func TestHintWithoutHintsFile(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	if err := os.Remove(filepath.Join(root, "01-sample", "HINTS.md")); err != nil {
		t.Fatal(err)
	}
	workshop(t, root, "", "hint", "01", "2").expect(t, exitNotDone, "01-sample has no hints yet", `README.md, section "Step 2"`)
}

func TestParseHints(t *testing.T) {
	t.Parallel()
	text := "# Hints\n\nIntro.\n\n## Step 1: One\n\n### Hint 1\n\nFirst.\n\n### Hint 2\n\nSecond,\non two lines.\n\n" +
		"## Step 2\n\n### Hint 1\n\n```go\n## not a heading\n```\n\n## Notes\n\nNot a hint.\n"
	got := parseHints(text)
	want := map[int][]string{
		1: {"First.", "Second,\non two lines."},
		2: {"```go\n## not a heading\n```"},
	}
	if len(got) != len(want) {
		t.Fatalf("parseHints found steps %v, want 2 steps", got)
	}
	for n, hints := range want {
		if strings.Join(got[n], "|") != strings.Join(hints, "|") {
			t.Errorf("step %d: hints %q, want %q", n, got[n], hints)
		}
	}
}

func TestDiffAgainstSolution(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	r := workshop(t, root, "", "diff", "01")
	r.expect(t, exitNotDone,
		"--- 01-sample/greet.go\n+++ solutions/01-sample/greet.go\n@@ -1,14 +1,17 @@\n",
		"-import \"errors\"\n+import (\n",
		"-\treturn \"\", errors.New(\"step 1: Greet is not implemented yet\")\n+\treturn fmt.Sprintf(\"Hello, %s!\", name), nil\n",
		"1 file(s) differ: lines with - are yours, lines with + are the solution's.")
	r.refuse(t, "greet_test.go") // identical files print nothing
	r.refuse(t, "README")        // the guides, in any language, are not part of the solution
	r.refuse(t, "HINTS.md")

	workshop(t, root, "", "diff", "01", "greet.go").expect(t, exitNotDone, "--- 01-sample/greet.go", "greet.go differs: lines with - are yours")
	// One file that is the same says so of that file, not of the chapter.
	r = workshop(t, root, "", "diff", "01", "01-sample/greet_test.go")
	r.expect(t, exitOK, "01-sample/greet_test.go is the same as solutions/01-sample/greet_test.go.")
	r.refuse(t, "01-sample is the same")
	r.refuse(t, "_checkpoints") // the solution's checkpoints are not part of the diff

	if err := os.WriteFile(filepath.Join(root, "01-sample", "notes.go"), []byte("package sample\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	solveAll(t, root)
	workshop(t, root, "", "diff", "01").expect(t, exitNotDone, "--- 01-sample/notes.go\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-package sample\n")
	os.Remove(filepath.Join(root, "01-sample", "notes.go"))
	workshop(t, root, "", "diff", "01").expect(t, exitOK, "01-sample is the same as solutions/01-sample.")

	// The same text with Windows line ends is the same.
	data := strings.ReplaceAll(read(t, filepath.Join(root, "01-sample", "greet.go")), "\n", "\r\n")
	if err := os.WriteFile(filepath.Join(root, "01-sample", "greet.go"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	workshop(t, root, "", "diff", "01").expect(t, exitOK, "01-sample is the same as solutions/01-sample.")
}

func TestSolution(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	r := workshop(t, root, "", "solution", "01")
	r.expect(t, exitOK, "The solution of 01-sample is in solutions/01-sample:", "solutions/01-sample/greet.go", "diff 01")
	r.refuse(t, "_checkpoints")
	if !strings.Contains(r.stderr, "try the hint first") || !strings.Contains(r.stderr, "hint 01") {
		t.Errorf("solution did not suggest the hint first on stderr; stderr:\n%s", r.stderr)
	}

	r = workshop(t, filepath.Join(root, "01-sample"), "", "solution", "01", "greet.go")
	r.expect(t, exitOK)
	if want := read(t, filepath.Join(root, "solutions/01-sample/greet.go")); r.stdout != want {
		t.Errorf("solution 01 greet.go printed:\n%s\nwant the file exactly:\n%s", r.stdout, want)
	}
	if !strings.Contains(r.stderr, "try the hint first") {
		t.Errorf("solution <chapter> <file> did not suggest the hint first; stderr:\n%s", r.stderr)
	}
}

func TestResetKeepsABackup(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	chapter := filepath.Join(root, "01-sample")
	original := read(t, filepath.Join(chapter, "greet.go"))
	solveStep1(t, root)
	edited := read(t, filepath.Join(chapter, "greet.go"))
	if err := writeFile(filepath.Join(chapter, "scratch", "notes.txt"), []byte("my notes\n")); err != nil {
		t.Fatal(err)
	}
	workshop(t, root, "", "hint", "01", "1") // seen hint 1
	readme := filepath.Join(chapter, "README.md")
	notes := read(t, readme) + "\nMy notes on step 1.\n"
	if err := os.WriteFile(readme, []byte(notes), 0o644); err != nil {
		t.Fatal(err)
	}

	// Declined: nothing changes.
	r := workshop(t, root, "n\n", "reset", "01")
	r.expect(t, exitNotDone, "Reset 01-sample: restore greet.go; remove the files you added: scratch/notes.txt.",
		"Your files are backed up first, to .workshop/backups/", "Reset? [y/N] ", "Nothing changed.")
	if got := read(t, filepath.Join(chapter, "greet.go")); got != edited {
		t.Fatalf("a declined reset changed greet.go")
	}
	if _, err := os.Stat(filepath.Join(root, ".workshop", "backups")); err == nil {
		t.Fatalf("a declined reset made a backup")
	}

	// Confirmed: backed up, then restored.
	r = workshop(t, root, "y\n", "reset", "01")
	r.expect(t, exitOK, "Reset? [y/N] ", "01-sample is back to its skeleton; your files are in .workshop/backups/")
	backups, err := filepath.Glob(filepath.Join(root, ".workshop", "backups", "*", "01-sample"))
	if err != nil || len(backups) != 1 {
		t.Fatalf("want one backup folder .workshop/backups/<time>/01-sample, found %v (%v)", backups, err)
	}
	rel, _ := filepath.Rel(root, backups[0])
	if !strings.Contains(r.stdout, rel) {
		t.Errorf("reset did not name its backup folder %s; output:\n%s", rel, r.stdout)
	}
	if got := read(t, filepath.Join(backups[0], "greet.go")); got != edited {
		t.Errorf("the backup's greet.go is not the student's edited file:\n%s", got)
	}
	if got := read(t, filepath.Join(backups[0], "scratch", "notes.txt")); got != "my notes\n" {
		t.Errorf("the backup lacks the student's added file scratch/notes.txt")
	}
	if got := read(t, filepath.Join(chapter, "greet.go")); got != original {
		t.Errorf("reset did not restore greet.go to the skeleton; it holds:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(chapter, "scratch")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("reset left the student's added folder scratch/ in the chapter (stat: %v)", err)
	}
	if got := read(t, readme); got != notes {
		t.Errorf("reset changed the chapter's README.md, which it must leave alone")
	}
	if got := read(t, filepath.Join(root, ".workshop", ".gitignore")); !strings.Contains(got, "*") {
		t.Errorf(".workshop/.gitignore does not ignore the folder: %q", got)
	}
	workshop(t, root, "", "hint", "01", "1").expect(t, exitOK, "Hint 1 of 3") // hints start again

	workshop(t, root, "", "reset", "01", "-y").expect(t, exitOK, "01-sample is already its original skeleton: nothing to reset.")
	workshop(t, root, "", "check", "01").expect(t, exitNotDone, "Greet is not implemented yet")
}

func TestResetAllWithYes(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	chapter := filepath.Join(root, "01-sample")
	original := read(t, filepath.Join(chapter, "greet.go"))
	if err := os.Remove(filepath.Join(chapter, "greet.go")); err != nil {
		t.Fatal(err)
	}
	// No answer on stdin, but -y: no question asked.
	workshop(t, root, "", "reset", "--all", "-y").expect(t, exitOK, "Reset 01-sample: restore greet.go.", "back to its skeleton")
	if got := read(t, filepath.Join(chapter, "greet.go")); got != original {
		t.Errorf("reset --all did not bring back the deleted greet.go")
	}
}

func TestResetRemovesAnAddedFile(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	added := filepath.Join(root, "01-sample", "extra.go")
	if err := os.WriteFile(added, []byte("package sample\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	workshop(t, root, "", "reset", "1", "-y").expect(t, exitOK, "Reset 01-sample: remove the files you added: extra.go.\n", "back to its skeleton")
	if _, err := os.Stat(added); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("reset left extra.go in the chapter (stat: %v)", err)
	}
}

func TestResetWithoutOriginals(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	if err := os.WriteFile(filepath.Join(root, skeleton.File), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	workshop(t, root, "", "reset", "01", "-y").expect(t, exitNotDone, "has no original copy of 01-sample", "go generate ./internal/skeleton")
}

// waitFor polls the buffer until it holds s, or fails the test.
func waitFor(t *testing.T, b *testkit.SyncBuffer, s string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !strings.Contains(b.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("after %v, watch has not printed %q; it printed:\n%s", limit, s, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWatchRerunsOnChange(t *testing.T) {
	t.Parallel()
	root := fixture(t)
	a, err := newApp(root, strings.NewReader(""), nil, nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var out testkit.SyncBuffer
	a.stdout, a.stderr = &out, &out
	a.pollEvery = 50 * time.Millisecond

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- runWatch(ctx, a, []string{"01"}) }()

	waitFor(t, &out, "Watching 01-sample for changes...", time.Minute)
	if !strings.Contains(out.String(), "[watch #1 at") || !strings.Contains(out.String(), "Greet is not implemented yet") {
		t.Fatalf("the first run of watch does not report the chapter:\n%s", out.String())
	}
	solveAll(t, root)
	waitFor(t, &out, "after a change to greet.go", 30*time.Second)
	waitFor(t, &out, "Every step of 01-sample passes", time.Minute)

	cancel() // what Ctrl-C does
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("watch stopped with exit code %d, want %d", code, exitOK)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop within 10s of Ctrl-C")
	}
	if !strings.HasSuffix(out.String(), "Stopped watching.\n") {
		t.Errorf("watch did not say it stopped; output ends:\n%s", out.String())
	}
}

func TestColourOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	env := func(vars ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(vars); i += 2 {
				if vars[i] == k {
					return vars[i+1]
				}
			}
			return ""
		}
	}
	if useColor(&bytes.Buffer{}, env()) {
		t.Error("colour is on for output that is not a terminal")
	}
	if useColor(os.Stdout, env("NO_COLOR", "1")) {
		t.Error("colour is on although NO_COLOR is set")
	}
	if useColor(os.Stdout, env("TERM", "dumb")) {
		t.Error(`colour is on although TERM is "dumb"`)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if useColor(f, env()) {
		t.Error("colour is on for output to a file")
	}

	a := &app{}
	if got := a.paint(red, "x"); got != "x" {
		t.Errorf("paint without colour = %q, want plain %q", got, "x")
	}
	a.color = true
	if got := a.paint(red, "x"); got != red+"x"+plain {
		t.Errorf("paint with colour = %q, want %q", got, red+"x"+plain)
	}
}

func TestWhereInChapter(t *testing.T) {
	t.Parallel()
	dump := "goroutine 7 [IO wait]:\n" +
		"internal/poll.(*FD).Read(0xc000)\n\t/usr/local/go/src/internal/poll/fd_unix.go:165 +0x27a\n" +
		"github.com/rpcworkshop/workshop/01-rpc-basics.(*Server).serveConn(0xc0001, {0x7, 0xc})\n" +
		"\t/home/student/workshop/01-rpc-basics/server.go:42 +0x1c5\n" +
		"github.com/rpcworkshop/workshop/01-rpc-basics.TestStep3_Serve(0xc0002)\n" +
		"\t/home/student/workshop/01-rpc-basics/step3_server_test.go:20 +0x65\n"
	if got, want := whereInChapter(dump, "01-rpc-basics"), "server.go:42, in (*Server).serveConn"; got != want {
		t.Errorf("whereInChapter = %q, want %q", got, want)
	}
	if got := whereInChapter(dump, "05-client"); got != "" {
		t.Errorf("whereInChapter found %q in a dump without the chapter's files", got)
	}
}
