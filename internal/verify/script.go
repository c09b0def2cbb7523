package verify

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/skeleton"
)

// GuidePage is the instructor's guide, whose live-coding script the script
// check plays.
const GuidePage = "docs/instructor-guide.md"

// A scriptEvent is one thing the live-coding script does: type a block of
// Go code into the step's files, or run the commands of a block, from the
// workshop's root.
type scriptEvent struct {
	step     int    // the step of the chapter it belongs to
	code     string // Go declarations typed, or
	proto    string // .proto definitions typed, or
	commands []string
	line     int // where it is in the guide
}

// scriptBlocks reads the live-coding script of every chapter from the
// guide: in each "## Chapter NN" section, the "### Live-coding script"
// subsection, where a paragraph that begins with "**Step N" starts step N,
// a ```go block is code the instructor types and a ```sh block holds
// commands the instructor runs, each of which must succeed.
func scriptBlocks(text string) map[string][]scriptEvent {
	out := map[string][]scriptEvent{}
	chapter, inScript, step := "", false, 0
	var block *strings.Builder
	var lang string
	blockLine := 0
	chapterRE := regexp.MustCompile(`^## Chapter (\d\d)`)
	stepRE := regexp.MustCompile(`^\*\*Step (\d+)`)
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if block != nil {
			if strings.HasPrefix(line, "```") {
				ev := scriptEvent{step: step, line: blockLine}
				switch lang {
				case "go":
					ev.code = block.String()
				case "proto":
					ev.proto = block.String()
				default:
					for _, c := range strings.Split(strings.TrimSpace(block.String()), "\n") {
						ev.commands = append(ev.commands, strings.TrimSpace(c))
					}
				}
				if inScript && chapter != "" && (lang == "go" || lang == "sh" || lang == "proto") {
					out[chapter] = append(out[chapter], ev)
				}
				block = nil
				continue
			}
			block.WriteString(line + "\n")
			continue
		}
		switch {
		case strings.HasPrefix(line, "```"):
			block, lang, blockLine = &strings.Builder{}, strings.TrimSpace(strings.TrimPrefix(line, "```")), n
		case chapterRE.MatchString(line):
			chapter, inScript, step = chapterRE.FindStringSubmatch(line)[1], false, 0
		case strings.HasPrefix(line, "## "):
			chapter, inScript = "", false
		case strings.HasPrefix(line, "### "):
			inScript = strings.HasPrefix(line, "### Live-coding script")
		case inScript && stepRE.MatchString(line):
			step, _ = strconv.Atoi(stepRE.FindStringSubmatch(line)[1])
		}
	}
	return out
}

// script plays the live-coding script of every chapter, each in its own
// copy of the workshop: the code it types goes into the chapter's files
// (each declaration replaces the one of the same name), and every command
// it shows must then succeed. So the code typed before a command is all
// that command needs.
func (v *verifier) script(ctx context.Context, c *course.Course) Check {
	check := Check{Name: "the instructor's live-coding script works, command by command"}
	start := time.Now()
	data, err := os.ReadFile(filepath.Join(v.opts.Root, GuidePage))
	if err != nil {
		check.Detail = err.Error()
		return check
	}
	scripts := scriptBlocks(string(data))
	var chapters []course.Chapter
	for _, ch := range c.Chapters {
		if ch.Present() && len(scripts[ch.Number()]) > 0 {
			chapters = append(chapters, ch)
		}
	}
	problems := make([]string, len(chapters))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, ch := range chapters {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			problems[i] = v.playScript(ctx, ch, scripts[ch.Number()])
		})
	}
	wg.Wait()
	var failed []string
	for _, p := range problems {
		if p != "" {
			failed = append(failed, p)
		}
	}
	elapsed := time.Since(start).Round(time.Second)
	v.progress("workshop: the live-coding script played in %v", elapsed)
	check.OK = len(failed) == 0 && ctx.Err() == nil
	if check.OK {
		check.Detail = fmt.Sprintf("%d chapters, in %v", len(chapters), elapsed)
	} else {
		check.Detail = strings.Join(failed, "\n")
	}
	return check
}

// playScript plays one chapter's script and returns what went wrong, or "".
func (v *verifier) playScript(ctx context.Context, ch course.Chapter, events []scriptEvent) string {
	root, err := copyWorkshopTo(v.opts.Root, stableDir(v.opts.Root, "script-"+ch.Dir))
	if err != nil {
		return fmt.Sprintf("%s: copying the workshop: %v", ch.Dir, err)
	}
	defer os.RemoveAll(root)
	var server *background
	defer func() { server.stop() }()
	for _, ev := range events {
		where := fmt.Sprintf("%s:%d (chapter %s, step %d)", GuidePage, ev.line, ch.Number(), ev.step)
		if ev.code != "" {
			if err := typeCode(root, ch, ev.step, ev.code); err != nil {
				return fmt.Sprintf("%s: the code block cannot be typed into the chapter: %v", where, err)
			}
			continue
		}
		if ev.proto != "" {
			if err := typeProto(root, ch, ev.step, ev.proto); err != nil {
				return fmt.Sprintf("%s: the .proto block cannot be typed into the chapter: %v", where, err)
			}
			continue
		}
		for _, cmd := range ev.commands {
			args := strings.Fields(cmd)
			if len(args) == 0 || args[0] != "go" || slices.ContainsFunc(args, func(a string) bool { return strings.ContainsAny(a, `'"|&;<>$%`) }) {
				return fmt.Sprintf("%s: %q is not a plain go command: the script's commands must work as they are in cmd.exe, PowerShell and sh (use go -C <folder> ...)", where, cmd)
			}
			if isServer(args) {
				server.stop()
				if server, err = startServer(ctx, root, args); err != nil {
					return fmt.Sprintf("%s: %s: %v", where, cmd, err)
				}
				continue
			}
			out, err := runCommand(ctx, root, args)
			if err != nil {
				return fmt.Sprintf("%s: %s failed (%v):\n%s", where, cmd, err, indent(firstLines(out, 12), "  "))
			}
		}
	}
	return ""
}

// runCommand runs a go command from root, with a deadline.
func runCommand(ctx context.Context, root string, args []string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// isServer reports whether a command runs one of the workshop's servers,
// which run until stopped: chapter 04's program or its solution.
func isServer(args []string) bool {
	return slices.Contains(args, "run") && slices.ContainsFunc(args, func(a string) bool { return strings.Contains(a, "04-server") })
}

// splitRun reads "go [-C dir] run pkg args...": the folder it runs in, the
// package and the program's arguments.
func splitRun(root string, args []string) (dir, pkg string, rest []string, err error) {
	dir = root
	args = args[1:]
	if len(args) >= 2 && args[0] == "-C" {
		dir, args = filepath.Join(root, filepath.FromSlash(args[1])), args[2:]
	}
	if len(args) < 2 || args[0] != "run" {
		return "", "", nil, fmt.Errorf("%q is not go [-C dir] run <package> [arguments]", strings.Join(args, " "))
	}
	return dir, args[1], args[2:], nil
}

// background is a server started by the script.
type background struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
	mu   *sync.Mutex
}

// serverPort is held by the one script that runs a server: the guide's
// servers listen on the default port, 50051.
var serverPort sync.Mutex

// startServer starts a server and waits until it says it is serving.
func startServer(ctx context.Context, root string, args []string) (*background, error) {
	serverPort.Lock()
	if l, err := net.Listen("tcp", "localhost:50051"); err != nil {
		serverPort.Unlock()
		return nil, fmt.Errorf("port 50051 is taken on this machine (%v): stop what listens there, then verify again", err)
	} else {
		l.Close()
	}
	// Build it and run the program itself, not go run, so that the
	// interrupt reaches the server and nothing outlives the check.
	dir, pkg, rest, err := splitRun(root, args)
	if err != nil {
		serverPort.Unlock()
		return nil, err
	}
	bin := filepath.Join(root, "server-under-test")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := runCommand(ctx, root, []string{"go", "-C", dir, "build", "-o", bin, pkg}); err != nil {
		serverPort.Unlock()
		return nil, fmt.Errorf("the server does not build: %v\n%s", err, indent(firstLines(out, 10), "  "))
	}
	cmd := exec.Command(bin, rest...)
	cmd.Dir = dir
	b := &background{cmd: cmd, out: &bytes.Buffer{}, done: make(chan struct{}), mu: &sync.Mutex{}}
	w := lockedWriter{b}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		serverPort.Unlock()
		return nil, err
	}
	go func() { cmd.Wait(); close(b.done) }()
	deadline := time.After(3 * time.Minute)
	for {
		select {
		case <-b.done:
			serverPort.Unlock()
			return nil, fmt.Errorf("the server stopped before it served:\n%s", indent(firstLines(b.output(), 10), "  "))
		case <-deadline:
			b.stop()
			return nil, errors.New("the server did not say it was serving within 3 minutes")
		case <-ctx.Done():
			b.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
			if strings.Contains(b.output(), "serving") {
				return b, nil
			}
		}
	}
}

type lockedWriter struct{ b *background }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.b.mu.Lock()
	defer w.b.mu.Unlock()
	return w.b.out.Write(p)
}

func (b *background) output() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.out.String()
}

// stop interrupts the server, as Ctrl-C does, and waits for it.
func (b *background) stop() {
	if b == nil {
		return
	}
	if err := b.cmd.Process.Signal(os.Interrupt); err != nil {
		b.cmd.Process.Kill() // Windows has no interrupt to send
	}
	select {
	case <-b.done:
	case <-time.After(10 * time.Second):
		b.cmd.Process.Kill()
		<-b.done
	}
	serverPort.Unlock()
}

// typeCode puts the Go declarations of a code block into the chapter's
// files under root: each replaces the declaration of the same name in the
// chapter's student files (those of the step first), or is added to the
// step's first file. The file's imports become what it uses of its own and
// its solution's imports.
func typeCode(root string, ch course.Chapter, step int, code string) error {
	fset := token.NewFileSet()
	typed, err := parser.ParseFile(fset, "typed.go", "package p\n\n"+code, parser.ParseComments)
	if err != nil {
		return err
	}
	src := []byte("package p\n\n" + code)
	files := ch.FilesWith(course.Student)
	slices.SortStableFunc(files, func(a, b course.Entry) int {
		return boolInt(!slices.Contains(a.Steps, step)) - boolInt(!slices.Contains(b.Steps, step))
	})
	done, err := skeleton.Jump(root, ch, step+1) // the files once the step is done
	if err != nil {
		return err
	}
	for _, d := range typed.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		name := declName(d)
		text := string(src[fset.Position(d.Pos()).Offset:fset.Position(d.End()).Offset])
		if err := sameAsSolution(root, done, name, text); err != nil {
			return err
		}
		placed := false
		for _, f := range files {
			if !strings.HasSuffix(f.Path, ".go") {
				continue
			}
			ok, err := replaceDecl(root, ch, f.Path, name, text)
			if err != nil {
				return err
			}
			if ok {
				placed = true
				break
			}
		}
		if !placed {
			if len(files) == 0 {
				return fmt.Errorf("%s has no student file for step %d", ch.Dir, step)
			}
			if err := appendDecl(root, ch, files[0].Path, text); err != nil {
				return err
			}
		}
	}
	return nil
}

// sameAsSolution checks that the typed declaration is the one the
// solution has once the step is done, comments and blank lines aside: the
// script teaches the solution's code, and a command the script runs after
// "workshop jump" then tests what was typed.
func sameAsSolution(root string, done map[string]string, name, text string) error {
	for _, src := range done {
		if !strings.HasSuffix(src, ".go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(src)))
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, src, data, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, d := range f.Decls {
			if declName(d) != name {
				continue
			}
			want := string(data[fset.Position(d.Pos()).Offset:fset.Position(d.End()).Offset])
			if codeLines(want) != codeLines(text) {
				return fmt.Errorf("the script types %s unlike %s has it: copy it from there\n--- typed\n%s\n--- %s\n%s", name, src, text, src, want)
			}
			return nil
		}
	}
	return fmt.Errorf("the script types %s, which no file of the solution has once the step is done", name)
}

// codeLines is Go source without comment lines, blank lines and the
// indentation: what must match between the script and the solution.
func codeLines(src string) string {
	var out []string
	for _, l := range strings.Split(src, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "//") {
			continue
		}
		if i := strings.Index(l, " //"); i > 0 && !strings.Contains(l[:i], "\"") {
			l = strings.TrimSpace(l[:i])
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// declName is how a declaration is found again: "Name", or "Recv.Name"
// for a method.
func declName(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv != nil && len(d.Recv.List) > 0 {
			t := d.Recv.List[0].Type
			if s, ok := t.(*ast.StarExpr); ok {
				t = s.X
			}
			if id, ok := t.(*ast.Ident); ok {
				return id.Name + "." + d.Name.Name
			}
		}
		return d.Name.Name
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				return s.Name.Name
			case *ast.ValueSpec:
				return s.Names[0].Name
			}
		}
	}
	return ""
}

// replaceDecl replaces the declaration called name in a chapter file with
// text, and reports whether the file had one.
func replaceDecl(root string, ch course.Chapter, rel, name, text string) (bool, error) {
	file := filepath.Join(root, ch.Dir, filepath.FromSlash(rel))
	src, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return false, err
	}
	for _, d := range f.Decls {
		if declName(d) != name {
			continue
		}
		start, end := fset.Position(d.Pos()).Offset, fset.Position(d.End()).Offset
		out := append(append(append([]byte{}, src[:start]...), text...), src[end:]...)
		return true, writeGo(root, ch, rel, out)
	}
	return false, nil
}

func appendDecl(root string, ch course.Chapter, rel, text string) error {
	file := filepath.Join(root, ch.Dir, filepath.FromSlash(rel))
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	return writeGo(root, ch, rel, append(append(src, '\n'), text+"\n"...))
}

// writeGo writes a chapter file with the imports it uses, from its own and
// its solution's, gofmt'ed.
func writeGo(root string, ch course.Chapter, rel string, src []byte) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.ParseComments)
	if err != nil {
		return err
	}
	imports := map[string]string{} // path -> name used in the file
	addImports := func(f *ast.File) {
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			name := importName(p)
			if im.Name != nil {
				name = im.Name.Name
			}
			imports[p] = name
		}
	}
	addImports(f)
	if sol, err := os.ReadFile(filepath.Join(root, ch.SolutionDir(), filepath.FromSlash(rel))); err == nil {
		if sf, err := parser.ParseFile(token.NewFileSet(), rel, sol, parser.ImportsOnly); err == nil {
			addImports(sf)
		}
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := s.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	var paths []string
	for p, name := range imports {
		if used[name] || name == "_" {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	var decl strings.Builder
	decl.WriteString("import (\n")
	for _, p := range paths {
		if importName(p) != imports[p] {
			decl.WriteString(imports[p] + " ")
		}
		decl.WriteString(strconv.Quote(p) + "\n")
	}
	decl.WriteString(")\n")
	// The new import declaration goes after the package clause, in place
	// of the old ones.
	pkgEnd := fset.Position(f.Name.End()).Offset
	out := append([]byte{}, src[:pkgEnd]...)
	out = append(out, "\n\n"+decl.String()...)
	from := pkgEnd
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			out = append(out, src[from:fset.Position(g.Pos()).Offset]...)
			from = fset.Position(g.End()).Offset
		}
	}
	out = append(out, src[from:]...)
	formatted, err := format.Source(out)
	if err != nil {
		return fmt.Errorf("%s after typing: %v", rel, err)
	}
	return os.WriteFile(filepath.Join(root, ch.Dir, filepath.FromSlash(rel)), formatted, 0o644)
}

// importName is the package name an import path is used by: its last
// element, without a major version ("math/rand/v2" is rand).
func importName(p string) string {
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(p))
	}
	return base
}

// protoDef finds the top-level "message Name {...}" and "service Name
// {...}" definitions of a .proto file: name to the text, braces matched.
var protoDefRE = regexp.MustCompile(`(?m)^(message|service|enum) (\w+) \{`)

func protoDefs(src string) map[string][2]int {
	out := map[string][2]int{}
	for _, m := range protoDefRE.FindAllStringSubmatchIndex(src, -1) {
		depth, end := 0, -1
		for i := m[0]; i < len(src) && end < 0; i++ {
			switch src[i] {
			case '{':
				depth++
			case '}':
				if depth--; depth == 0 {
					end = i + 1
				}
			}
		}
		if end > 0 {
			out[src[m[4]:m[5]]] = [2]int{m[0], end}
		}
	}
	return out
}

// typeProto puts the messages and services of a .proto block into the
// step's .proto file: each replaces the definition of the same name, or is
// added at the end. Each must be as the solution has it once the step is
// done.
func typeProto(root string, ch course.Chapter, step int, code string) error {
	var rel string
	for _, f := range ch.FilesWith(course.Student) {
		if strings.HasSuffix(f.Path, ".proto") && slices.Contains(f.Steps, step) {
			rel = f.Path
		}
	}
	if rel == "" {
		return fmt.Errorf("step %d has no .proto file", step)
	}
	done, err := skeleton.Jump(root, ch, step+1)
	if err != nil {
		return err
	}
	want, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(done[rel])))
	if err != nil {
		return err
	}
	file := filepath.Join(root, ch.Dir, filepath.FromSlash(rel))
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	src, wantDefs := string(data), protoDefs(string(want))
	typed := protoDefs(code)
	if len(typed) == 0 {
		return errors.New("it holds no message or service")
	}
	for name, r := range typed {
		text := code[r[0]:r[1]]
		w, ok := wantDefs[name]
		if !ok || codeLines(string(want[w[0]:w[1]])) != codeLines(text) {
			return fmt.Errorf("the script types %s unlike %s has it: copy it from there", name, done[rel])
		}
		if old, ok := protoDefs(src)[name]; ok {
			src = src[:old[0]] + text + src[old[1]:]
		} else {
			src = strings.TrimRight(src, "\n") + "\n\n" + text + "\n"
		}
	}
	return os.WriteFile(file, []byte(src), 0o644)
}
