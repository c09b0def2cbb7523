package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
	"github.com/rpcworkshop/workshop/internal/protogen"
)

// workshop checks what spans the chapters: formatting, vet, links,
// generated code, the reset snapshot and the tests of the workshop's own
// machinery, all at once.
func (v *verifier) workshop(ctx context.Context, c *course.Course, oneChapter bool) Section {
	s := Section{Title: "workshop"}
	v.progress("workshop: gofmt, go vet, links, generated code, snapshot")
	var gen []Check
	var machinery *Check
	var wg sync.WaitGroup
	if v.opts.scope == everything {
		wg.Go(func() { gen = v.generated(ctx) })
	}
	if !oneChapter && v.opts.scope == everything {
		wg.Go(func() {
			v.progress("workshop: running the machinery's tests")
			m := v.machinery(ctx, c)
			machinery = &m
			v.progress("workshop: the machinery's tests are done (%s)", okOrNot(m))
		})
	}
	s.Checks = append(s.Checks, v.gofmt(), v.links(), v.editions(c), v.snapshot(c))
	if v.opts.scope != filesOnly {
		s.Checks = append(s.Checks, v.vetAll(ctx))
	}
	wg.Wait()
	s.Checks = append(s.Checks, gen...)
	if machinery != nil {
		s.Checks = append(s.Checks, *machinery)
	}
	return s
}

// walk calls fn for every file under the root, skipping .git and testdata.
func (v *verifier) walk(fn func(rel string)) {
	filepath.WalkDir(v.opts.Root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if name := d.Name(); path != v.opts.Root && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(v.opts.Root, path)
		fn(rel)
		return nil
	})
}

func (v *verifier) gofmt() Check {
	c := Check{Name: "gofmt -l is clean"}
	var files []string
	v.walk(func(rel string) {
		if strings.HasSuffix(rel, ".go") {
			files = append(files, rel)
		}
	})
	cmd := exec.Command("gofmt", append([]string{"-l"}, files...)...)
	cmd.Dir = v.opts.Root
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		c.Detail = "run gofmt -w on these files:\n" + firstLines(string(out), 20)
		return c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%d files", len(files))
	return c
}

func (v *verifier) vetAll(ctx context.Context) Check {
	out, err := v.vet(ctx)
	if err != nil {
		return Check{Name: "go vet ./... is clean", Detail: "go vet ./... failed: fix these first\n" + firstLines(out, 15)}
	}
	return Check{Name: "go vet ./... is clean", OK: true}
}

// vet runs go vet ./... once for every check that needs it.
func (v *verifier) vet(ctx context.Context) (string, error) {
	v.vetOnce.Do(func() { v.vetOut, v.vetErr = v.goCmd(ctx, "vet", "./...") })
	return v.vetOut, v.vetErr
}

// vetIn returns what go vet ./... said about the packages under dir (a
// folder relative to the root), or "" when it found nothing there.
func (v *verifier) vetIn(ctx context.Context, dir string) string {
	out, err := v.vet(ctx)
	if err == nil {
		return ""
	}
	mod := v.module()
	prefix := mod + "/" + filepath.ToSlash(dir)
	var b strings.Builder
	mine, headed := false, false
	unclaimed := ""
	for _, line := range strings.SplitAfter(out, "\n") {
		if head, ok := strings.CutPrefix(line, "# "); ok {
			pkg := strings.Trim(strings.Fields(head + " ")[0], "[]")
			mine = pkg == prefix || strings.HasPrefix(pkg, prefix+"/")
			headed = true
		} else if !headed {
			unclaimed += line
		}
		if mine {
			b.WriteString(line)
		}
	}
	if b.Len() == 0 && unclaimed != "" {
		return unclaimed // go vet failed before it reached any package
	}
	return b.String()
}

// module is the workshop's module path, from go.mod.
func (v *verifier) module() string {
	data, _ := os.ReadFile(filepath.Join(v.opts.Root, "go.mod"))
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// protoFiles lists the .proto files of the workshop (not the fixtures).
func (v *verifier) protoFiles() []string {
	var protos []string
	v.walk(func(rel string) {
		// Go ignores folders whose name starts with "_": a checkpoint's
		// .proto (solutions/03-codegen/_checkpoints) has no code of its own.
		if strings.HasSuffix(rel, ".proto") && !strings.Contains("/"+filepath.ToSlash(rel), "/_") {
			protos = append(protos, rel)
		}
	})
	return protos
}

// generated checks every .proto's generated Go code: always with the
// package's pure-Go freshness test, and also by regenerating with protoc
// when protoc is installed.
func (v *verifier) generated(ctx context.Context) []Check {
	protos := v.protoFiles()
	fresh := Check{Name: "generated code is fresh (pure-Go test)", OK: true}
	var problems []string
	for _, p := range protos {
		dir := filepath.Dir(p)
		pbgo := strings.TrimSuffix(p, ".proto") + ".pb.go"
		if _, err := os.Stat(filepath.Join(v.opts.Root, pbgo)); err != nil {
			problems = append(problems, fmt.Sprintf("%s has no generated %s: run go generate in %s", p, filepath.Base(pbgo), dir))
			continue
		}
		res, err := gotest.RunEnv(ctx, v.opts.Root, v.opts.Env, "-run", "Fresh", "./"+filepath.ToSlash(dir))
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %v", dir, err))
		case res.BuildFailed:
			problems = append(problems, fmt.Sprintf("%s does not build: %s", dir, firstLines(res.BuildOutput, 5)))
		default:
			ran := res.Names(func(t *gotest.Test) bool { return !strings.Contains(t.Name, "/") })
			failed := res.Names(func(t *gotest.Test) bool { return t.Failed() })
			if len(ran) == 0 {
				problems = append(problems, fmt.Sprintf("%s has no freshness test: add a test whose name contains Fresh that calls protofresh.Check (see docs/authoring.md)", dir))
			}
			for _, name := range failed {
				problems = append(problems, fmt.Sprintf("%s: %s", name, gotest.FirstLines(res.Tests[name].Output, 2)))
			}
		}
	}
	if len(problems) > 0 {
		fresh.OK = false
		fresh.Detail = strings.Join(problems, "\n")
	} else {
		fresh.Detail = fmt.Sprintf("%d .proto files", len(protos))
	}
	return []Check{fresh, v.regenerated(protos)}
}

// regenerated runs protoc into a temporary folder and compares the output
// with the committed code, ignoring only the line naming protoc's version.
func (v *verifier) regenerated(protos []string) Check {
	c := Check{Name: "generated code matches a fresh protoc run"}
	_, version, err := protogen.Protoc()
	if errors.Is(err, protogen.ErrNoProtoc) {
		c.Skipped = true
		c.Detail = "protoc is not installed here, so only the pure-Go freshness tests ran (install protobuf-compiler to run this check too)"
		return c
	}
	var problems []string
	for _, p := range protos {
		tmp, err := os.MkdirTemp("", "verify-protoc-")
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		defer os.RemoveAll(tmp)
		dir := filepath.Join(v.opts.Root, filepath.Dir(p))
		if err := protogen.Generate(dir, tmp, filepath.Base(p)); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		entries, _ := os.ReadDir(tmp)
		for _, e := range entries {
			want, _ := os.ReadFile(filepath.Join(tmp, e.Name()))
			got, err := os.ReadFile(filepath.Join(dir, e.Name()))
			rel := filepath.Join(filepath.Dir(p), e.Name())
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s is missing: run go generate in %s", rel, filepath.Dir(p)))
			} else if !bytes.Equal(protogen.StripVersion(want), protogen.StripVersion(got)) {
				problems = append(problems, fmt.Sprintf("%s differs from what protoc generates now: run go generate in %s and commit the result", rel, filepath.Dir(p)))
			}
		}
	}
	if len(problems) > 0 {
		c.Detail = strings.Join(problems, "\n")
		return c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%d .proto files regenerated with protoc %s", len(protos), version)
	return c
}

// machinery runs the tests of everything that is not a chapter: the
// canonical Greeter, the commands and their packages. All but the CRLF
// checkout's test, which runs them all again in a clone and is a deep
// check of its own (crlf).
func (v *verifier) machinery(ctx context.Context, c *course.Course) Check {
	check := Check{Name: "the workshop's own tests pass"}
	out, err := v.goCmd(ctx, "list", "./...")
	if err != nil {
		check.Detail = "go list ./... failed\n" + firstLines(out, 10)
		return check
	}
	var pkgs []string
	for _, pkg := range strings.Fields(out) {
		if !v.inChapter(pkg, c) {
			pkgs = append(pkgs, pkg)
		}
	}
	if len(pkgs) == 0 {
		check.OK = true
		check.Detail = "no packages"
		return check
	}
	// -p: these tests wait on the programs they start more than they
	// compute, so more packages run at once than there are cores.
	args := append(v.race(), "-p", strconv.Itoa(max(runtime.NumCPU(), 8)), "-skip", "^"+crlfTest+"$")
	res, err := v.runTests(ctx, 10*time.Minute, append(args, pkgs...)...)
	sol := solutionCheck(course.Chapter{}, res, err)
	check.OK, check.Detail = sol.OK, sol.Detail
	if check.OK {
		check.Detail = fmt.Sprintf("%d packages; %s", len(pkgs), check.Detail)
	}
	return check
}

// inChapter reports whether an import path lies in a chapter or a solution.
func (v *verifier) inChapter(pkg string, c *course.Course) bool {
	for _, ch := range c.Chapters {
		for _, dir := range []string{ch.Dir, filepath.ToSlash(ch.SolutionDir())} {
			if strings.Contains(pkg+"/", "/"+dir+"/") {
				return true
			}
		}
	}
	return false
}

// crlfTest clones the workshop with CRLF line ends and runs the commands
// and the machinery's tests there (cmd/workshop/crlf_test.go).
const crlfTest = "TestCRLFCheckout"

// crlf runs the CRLF checkout's test on its own.
func (v *verifier) crlf(ctx context.Context) Check {
	c := Check{Name: "a CRLF checkout works: reset, hint, docs and the machinery's tests"}
	v.progress("workshop: cloning with CRLF line ends and testing there")
	res, err := v.runTests(ctx, 10*time.Minute, "-count=1", "-run", "^"+crlfTest+"$", "./cmd/workshop")
	sol := solutionCheck(course.Chapter{}, res, err)
	c.OK, c.Detail = sol.OK, sol.Detail
	if t := res.Tests[crlfTest]; err == nil && t == nil {
		c.OK, c.Detail = false, crlfTest+" did not run: it moved or was renamed; update crlfTest in internal/verify"
	} else if t != nil && t.Action == "skip" {
		c.OK, c.Skipped, c.Detail = false, true, gotest.FirstLines(t.Output, 1)
	}
	return c
}
