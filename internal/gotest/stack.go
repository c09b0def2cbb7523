package gotest

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Goroutine is one goroutine of a dump, as runtime.Stack or a panic prints it.
type Goroutine struct {
	ID     int
	State  string // "chan receive", "select (no cases)", "running"...
	Frames []Frame
}

// Frame is one call on a goroutine's stack.
type Frame struct {
	Func string // as printed, without arguments: "example.com/m/01-a.(*Client).Call"
	File string // slash-separated, as printed: "/home/x/01-a/client.go"
	Line int
}

// Short is the frame's function without its package path: "(*Client).Call",
// or "TestStep4_Call.func1".
func (f Frame) Short() string {
	fn := f.Func[strings.LastIndex(f.Func, "/")+1:] // example.com/x/01-a.(*T).Run -> 01-a.(*T).Run
	_, fn, _ = strings.Cut(fn, ".")                 // -> (*T).Run
	return fn
}

// ParseStack reads the goroutines of a dump. Lines it does not understand
// (a panic's message, test output) are skipped; "created by" lines are not
// frames of the goroutine and are left out.
func ParseStack(dump string) []Goroutine {
	var gs []Goroutine
	lines := strings.Split(strings.ReplaceAll(dump, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(line, "goroutine ") && strings.HasSuffix(line, ":") {
			// goroutine 7 [chan receive, 2 minutes]:
			head := strings.TrimSuffix(strings.TrimPrefix(line, "goroutine "), ":")
			idText, state, _ := strings.Cut(head, " ")
			id, err := strconv.Atoi(idText)
			if err != nil {
				continue
			}
			state = strings.Trim(state, "[]")
			state, _, _ = strings.Cut(state, ",")
			gs = append(gs, Goroutine{ID: id, State: state})
			continue
		}
		if len(gs) == 0 || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "\t") ||
			strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "created by ") || line == "" {
			continue
		}
		fn := line
		if k := strings.LastIndex(fn, "("); k > 0 && strings.HasSuffix(fn, ")") {
			fn = fn[:k] // the arguments
		}
		file := filepath.ToSlash(strings.TrimSpace(lines[i+1]))
		file, _, _ = strings.Cut(file, " +0x")
		n := 0
		if k := strings.LastIndex(file, ":"); k > 0 {
			n, _ = strconv.Atoi(file[k+1:])
			file = file[:k]
		}
		g := &gs[len(gs)-1]
		g.Frames = append(g.Frames, Frame{Func: fn, File: file, Line: n})
		i++
	}
	return gs
}

// InDir reports whether the frame is in a file directly inside the folder
// whose slash-separated path ends in dir ("01-rpc-basics", or an absolute
// path), and whether that file is a test file.
func (f Frame) InDir(dir string) (in, test bool) {
	dir = strings.TrimSuffix(filepath.ToSlash(dir), "/")
	parent, base := filepath.ToSlash(filepath.Dir(f.File)), filepath.Base(f.File)
	if parent != dir && !strings.HasSuffix(parent, "/"+strings.TrimPrefix(dir, "/")) {
		return false, false
	}
	return true, strings.HasSuffix(base, "_test.go")
}

// Where says where a frame is, for a student: "server.go:42, in (*Server).serveConn".
func (f Frame) Where() string {
	return fmt.Sprintf("%s:%d, in %s", filepath.Base(f.File), f.Line, f.Short())
}

// WhereIn finds, in a goroutine dump, the first frame in a non-test file of
// the folder dir (a chapter's folder name, or its path): "server.go:42, in
// (*Server).serveConn". It returns "" when no goroutine is in those files.
func WhereIn(dump, dir string) string {
	for _, g := range ParseStack(dump) {
		for _, f := range g.Frames {
			if in, test := f.InDir(dir); in && !test {
				return f.Where()
			}
		}
	}
	return ""
}

// OverlayEnv names a go build -overlay file (JSON) that a test's own reads
// of the package's files honour too, through testkit.Path, as the compiler
// honours -overlay: verify applies a wrong implementation of a non-Go file
// (a chapter's .proto) this way, without touching the tree.
const OverlayEnv = "WORKSHOP_TEST_OVERLAY"
