package verify

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The fixture in testdata/sample is a tiny workshop whose one chapter holds
// the contract. Each case below breaks one rule in a copy of it and checks
// that verify catches exactly that, with a message that says what to fix.
func TestVerifyCatchesEachBrokenRule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on fixture workshops; skipped with -short")
	}
	tests := []struct {
		name      string
		breakRule func(t *testing.T, root string)
		failing   string   // the check that must fail ("" means none)
		message   string   // a regexp its detail must match
		alsoFails []string // checks that fail as a consequence
	}{
		{
			name: "the sample holds the contract",
		},
		{
			name: "skeleton does not compile",
			breakRule: func(t *testing.T, root string) {
				write(t, root, "01-sample/broken.go", "package sample\n\nfunc Broken() int { return \"one\" }\n")
			},
			failing:   "skeleton builds and vets",
			message:   `go vet \./01-sample/\.\.\. failed: fix these first`,
			alsoFails: []string{"every file is declared in course.json", "go vet ./... is clean"},
		},
		{
			name: "a skeleton test panics",
			breakRule: func(t *testing.T, root string) {
				replace(t, root, "01-sample/greet.go", `return "", errors.New("step 1: Greet is not implemented yet")`, `panic(errors.New("todo"))`)
			},
			failing:   "skeleton fails step by step",
			message:   `a skeleton test panicked: unfinished code must return an error that names its step, never panic`,
			alsoFails: []string{"the reset snapshot is fresh"},
		},
		{
			name: "a skeleton test hangs",
			breakRule: func(t *testing.T, root string) {
				replace(t, root, "01-sample/greet.go", `return "", errors.New("step 1: Greet is not implemented yet")`, `select {}`)
				replace(t, root, "course.json", `"timeout": "10s"`, `"timeout": "3s"`) // the one place it is set
			},
			failing:   "skeleton fails step by step",
			message:   `ran past the chapter's 3s timeout \(still running: TestStep1_Greet\)`,
			alsoFails: []string{"the reset snapshot is fresh"},
		},
		{
			name: "test files differ",
			breakRule: func(t *testing.T, root string) {
				appendTo(t, root, "solutions/01-sample/greet_test.go", "\n// An edit made to one copy only.\n")
			},
			failing: "test files and testdata identical to the solution's",
			message: `greet_test.go differs between 01-sample and solutions/01-sample`,
		},
		{
			name: "test data missing from the solution",
			breakRule: func(t *testing.T, root string) {
				write(t, root, "01-sample/testdata/names.txt", "you\n")
			},
			failing:   "test files and testdata identical to the solution's",
			message:   `testdata/names.txt is in 01-sample but not in solutions/01-sample: copy it over`,
			alsoFails: []string{"every file is declared in course.json"},
		},
		{
			name: "the solution fails",
			breakRule: func(t *testing.T, root string) {
				replace(t, root, "solutions/01-sample/greet.go", `"Hello, %s!"`, `"Hi, %s!"`)
			},
			failing: "solution passes with -race",
			message: `failing: TestStep1_Greet, TestStep2_Shout`,
		},
		{
			name: "a failing test does not name a step",
			breakRule: func(t *testing.T, root string) {
				unnamed := "\nfunc TestGreetsEveryone(t *testing.T) {\n\tif _, err := Greet(\"all\"); err != nil {\n\t\tt.Fatal(err)\n\t}\n}\n"
				appendTo(t, root, "01-sample/greet_test.go", unnamed)
				appendTo(t, root, "solutions/01-sample/greet_test.go", unnamed)
			},
			failing: "skeleton fails step by step",
			message: `TestGreetsEveryone fails in the skeleton but its name does not name a step`,
		},
		{
			name: "a step test is missing from course.json",
			breakRule: func(t *testing.T, root string) {
				extra := "\nfunc TestStep2_ShoutEmpty(t *testing.T) {\n\tif _, err := Shout(\"\"); err != nil {\n\t\tt.Fatal(err)\n\t}\n}\n"
				appendTo(t, root, "01-sample/greet_test.go", extra)
				appendTo(t, root, "solutions/01-sample/greet_test.go", extra)
			},
			failing: "skeleton fails step by step",
			message: `TestStep2_ShoutEmpty is not listed under step 2 in course.json`,
		},
		{
			name: "a step is already done in the skeleton",
			breakRule: func(t *testing.T, root string) {
				replace(t, root, "01-sample/greet.go", `return "", errors.New("step 2: Shout is not implemented yet")`, `return "HELLO, YOU!", nil`)
			},
			failing:   "skeleton fails step by step",
			message:   `step 2 \(Shout\) has no failing test in the skeleton`,
			alsoFails: []string{"the reset snapshot is fresh"},
		},
		{
			name: "a jump state is wrong",
			breakRule: func(t *testing.T, root string) {
				replace(t, root, "solutions/01-sample/_checkpoints/step1/greet.go", `"Hello, %s!"`, `"Hi, %s!"`)
			},
			failing: "jump states: each step starts where the earlier ones end",
			message: `jump 01 2:\n  TestStep1_Greet fails, but step 1 is done in this state`,
		},
		{
			name: "generated code is stale",
			breakRule: func(t *testing.T, root string) {
				replace(t, root, "gen/sample.proto", "string text = 1;", "string text = 1;\n  int64 id = 2;")
			},
			failing:   "generated code is fresh (pure-Go test)",
			message:   `sample.proto was edited but its Go code was not regenerated: run go generate in`,
			alsoFails: []string{"generated code matches a fresh protoc run", "the workshop's own tests pass"},
		},
		{
			name: "a link is dead",
			breakRule: func(t *testing.T, root string) {
				appendTo(t, root, "README.md", "\nSee also [the missing chapter](02-missing/README.md).\n")
			},
			failing: "relative links in Markdown resolve",
			message: `README.md:\d+ links to 02-missing/README.md, which does not exist`,
		},
		{
			name: "a fragment link does not resolve",
			breakRule: func(t *testing.T, root string) {
				appendTo(t, root, "README.md", "\nThen [whisper](01-sample/README.md#step-3-whisper).\n")
			},
			failing: "relative links in Markdown resolve",
			message: `README.md:\d+ links to #step-3-whisper, but 01-sample/README.md has no heading with that anchor: point it at one of #chapter-01-a-sample-chapter, #step-1-greet, #step-2-shout`,
		},
		{
			name: "a given file differs",
			breakRule: func(t *testing.T, root string) {
				replace(t, root, "solutions/01-sample/names.go", `"Ada"`, `"Grace"`)
			},
			failing: "given files identical to the solution's",
			message: `names.go is a given file but differs between 01-sample and solutions/01-sample: a given file is the same in both`,
		},
		{
			name: "a file is not declared",
			breakRule: func(t *testing.T, root string) {
				write(t, root, "solutions/01-sample/extra.go", "package sample\n")
			},
			failing: "every file is declared in course.json",
			message: `solutions/01-sample/extra.go is not declared in course.json: add it to 01-sample's files with its role`,
		},
		{
			name: "a declared file is missing",
			breakRule: func(t *testing.T, root string) {
				if err := os.Remove(filepath.Join(root, "01-sample", "names.go")); err != nil {
					t.Fatal(err)
				}
			},
			failing: "every file is declared in course.json",
			message: `course.json declares names.go \(given\) in 01-sample, but there is no 01-sample/names.go: restore it, or remove the entry`,
		},
		{
			name: "the reset snapshot is stale",
			breakRule: func(t *testing.T, root string) {
				replace(t, root, "01-sample/greet.go", "(step 1)", "(step 1, in a comment edited since the snapshot)")
			},
			failing: "the reset snapshot is fresh",
			message: `internal/skeleton/skeleton.txtar is stale: workshop reset would not restore these files as committed:\n  01-sample/greet.go\nRun go generate ./internal/skeleton`,
		},
		{
			name: "a file does not build on Windows",
			breakRule: func(t *testing.T, root string) {
				write(t, root, "gen/signal.go", "package gen\n\nimport \"syscall\"\n\n// Reload is a signal Windows does not have.\nvar Reload = syscall.SIGUSR1\n")
			},
			failing: "vets and builds for windows/amd64",
			message: `(?s)windows/amd64: go vet ./... failed \(GOOS=windows GOARCH=amd64\):\n.*gen/signal.go:6:22: undefined: syscall.SIGUSR1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := copyFixture(t)
			if tt.breakRule != nil {
				tt.breakRule(t, root)
			}
			opts := Options{Root: root, Count: 1, scope: scopeFor(tt.failing)}
			// A deep check runs only in the case that breaks its rule.
			opts.Jumps = strings.HasPrefix(tt.failing, "jump states")
			opts.Mistakes = strings.HasPrefix(tt.failing, "wrong implementations")
			if target, ok := strings.CutPrefix(tt.failing, "vets and builds for "); ok {
				opts.Targets = []string{target}
			}
			report, err := Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			caught := tt.failing == ""
			for _, s := range report.Sections {
				for _, c := range s.Checks {
					// Without cgo the solution's check says "(without -race)".
					name := strings.Replace(c.Name, " (without -race)", " with -race", 1)
					if name == tt.failing && !c.OK {
						caught = true
					}
					switch {
					case name == tt.failing && c.OK:
						t.Errorf("verify did not catch it: %q passed (%s)", c.Name, c.Detail)
					case name == tt.failing && !regexp.MustCompile(tt.message).MatchString(c.Detail):
						t.Errorf("%q failed, but its message does not say what to fix.\ngot:  %s\nwant: a match for %s", c.Name, c.Detail, tt.message)
					case name != tt.failing && !c.OK && !c.Skipped && !slices.Contains(tt.alsoFails, c.Name):
						t.Errorf("%s: %q failed too, but only %q should have:\n%s", s.Title, c.Name, orNone(tt.failing), c.Detail)
					}
				}
			}
			if !caught {
				t.Errorf("verify never reported %q failing; its report:\n%s", tt.failing, printed(report))
			}
		})
	}
}

// scopeFor runs only the checks that could notice a broken rule, which
// keeps this test fast: a rule about files needs no go command, and a
// chapter's rule not the workshop's generated code and machinery tests.
// The sample holding the contract, and every workshop rule, run everything.
func scopeFor(failing string) scope {
	switch {
	case failing == "" || strings.HasPrefix(failing, "generated code") || failing == "the workshop's own tests pass":
		return everything
	case slices.Contains(fileChecks, failing):
		return filesOnly
	}
	return chaptersOnly
}

var fileChecks = []string{
	"test files and testdata identical to the solution's",
	"given files identical to the solution's",
	"every file is declared in course.json",
	"README and HINTS cover every step",
	"relative links in Markdown resolve",
	"the Chinese edition is in step with the English",
	"the reset snapshot is fresh",
}

func printed(r *Report) string {
	var b strings.Builder
	Print(&b, r)
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// copyFixture copies testdata/sample into a temporary folder and makes it
// a module that uses this workshop's packages (for protofresh) from here.
func copyFixture(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	src := filepath.Join("testdata", "sample")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(root, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	workshop, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(workshop, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mod := strings.Replace(string(gomod), "module github.com/rpcworkshop/workshop", "module github.com/rpcworkshop/workshop/verifysample", 1)
	mod += "\nrequire github.com/rpcworkshop/workshop v0.0.0\n\nreplace github.com/rpcworkshop/workshop => " + workshop + "\n"
	write(t, root, "go.mod", mod)
	sum, err := os.ReadFile(filepath.Join(workshop, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, root, "go.sum", string(sum))
	return root
}

func write(t *testing.T, root, name, content string) {
	t.Helper()
	path := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, root, name, content string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	write(t, root, name, string(data)+content)
}

func replace(t *testing.T, root, name, old, new string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q: update the fixture's mutation", name, old)
	}
	write(t, root, name, strings.Replace(string(data), old, new, 1))
}
