package testkit

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
)

// BudgetEnv overrides the per-test budget of the watchdog, e.g. "5s", or
// "off" to turn it off. The workshop's own tests use it to keep short.
const BudgetEnv = "WORKSHOP_TEST_BUDGET"

// Main runs a chapter's tests under a watchdog and returns their exit
// code; a chapter's TestMain is
//
//	func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }
//
// Under plain "go test" (Go's default -timeout of 10 minutes) a test that
// runs past the chapter's budget (course.json's "budget", 20s unless it says
// otherwise) ends the run at once, with a message naming the test and its
// step and the lines of the student's files where the goroutines wait: a hang
// is reported in seconds, not after ten minutes of silence. Given any other
// -timeout ("go test -timeout 2m", as the workshop command and verify run the
// tests), the watchdog stays out of the way and Go's own timeout applies.
func Main(m *testing.M) int {
	flag.Parse()
	if budget := watchBudget(); budget > 0 {
		dir, _ := os.Getwd()
		w := &watchdog{budget: budget, dir: dir, out: os.Stdout, exit: os.Exit, seen: map[int]seenTest{}}
		// The buffer is made here, before any test runs, so that the
		// watchdog's first look does not count against a test that
		// measures what its code allocates.
		go w.run(make([]byte, 1<<20))
	}
	return m.Run()
}

// defaultTimeout is what go test passes as -test.timeout when the command
// line gives none.
const defaultTimeout = 10 * time.Minute

// watchBudget returns the budget a test has in this run, or 0 when the
// watchdog stays off.
func watchBudget() time.Duration {
	if env := os.Getenv(BudgetEnv); env != "" {
		d, err := time.ParseDuration(env)
		if err != nil || d <= 0 {
			return 0
		}
		return d
	}
	f := flag.Lookup("test.timeout")
	if f == nil {
		return 0
	}
	if g, ok := f.Value.(flag.Getter); !ok || g.Get() != defaultTimeout {
		return 0
	}
	return chapterBudget()
}

// chapterBudget is the budget course.json gives the chapter whose folder
// (or whose solution's folder) the tests run in.
func chapterBudget() time.Duration {
	dir, err := os.Getwd()
	if err != nil {
		return course.DefaultBudget
	}
	root, err := course.FindRoot(dir)
	if err != nil {
		return course.DefaultBudget
	}
	c, err := course.Load(root)
	if err != nil {
		return course.DefaultBudget
	}
	if ch, ok := c.Chapter(filepath.Base(dir)); ok {
		return ch.TestBudget()
	}
	return course.DefaultBudget
}

// seenTest is a goroutine running a test, and since when it has been seen.
type seenTest struct {
	name  string
	since time.Time
}

type watchdog struct {
	budget time.Duration
	dir    string // the package's folder: its frames are the student's
	out    io.Writer
	exit   func(int)
	seen   map[int]seenTest // by goroutine id
}

// interval is how often the watchdog looks at the goroutines.
const interval = 200 * time.Millisecond

func (w *watchdog) run(buf []byte) {
	for range time.Tick(interval) {
		n := runtime.Stack(buf, true)
		for n == len(buf) && len(buf) < 64<<20 {
			buf = make([]byte, 2*len(buf))
			n = runtime.Stack(buf, true)
		}
		if w.check(string(buf[:n]), time.Now()) {
			w.exit(1)
			return
		}
	}
}

// check reads one goroutine dump taken at now. It reports whether a test has
// run past the budget, after printing why.
func (w *watchdog) check(dump string, now time.Time) bool {
	gs := gotest.ParseStack(dump)
	alive := map[int]bool{}
	for _, g := range gs {
		name, ok := runningTest(g)
		if !ok {
			continue
		}
		alive[g.ID] = true
		s, known := w.seen[g.ID]
		if !known {
			s = seenTest{name: name, since: now}
		}
		if s.name == "" {
			s.name = name
		}
		w.seen[g.ID] = s
	}
	for id := range w.seen {
		if !alive[id] {
			delete(w.seen, id)
		}
	}
	var late *gotest.Goroutine
	var lateTest seenTest
	for i, g := range gs {
		s, ok := w.seen[g.ID]
		if ok && now.Sub(s.since) >= w.budget && (late == nil || s.since.Before(lateTest.since)) {
			late, lateTest = &gs[i], s
		}
	}
	if late == nil {
		return false
	}
	w.report(lateTest.name, now.Sub(lateTest.since), *late, gs)
	return true
}

// runningTest says whether g runs a test (or its cleanup) and which: a
// goroutine that testing.tRunner started, not one paused in t.Parallel
// waiting for its turn, nor the main goroutine, which starts the tests. The
// name is "" while only a cleanup is on the stack.
func runningTest(g gotest.Goroutine) (name string, ok bool) {
	for _, f := range g.Frames {
		switch {
		case f.Func == "testing.tRunner":
			return name, true
		case f.Func == "testing.(*T).Parallel", strings.HasPrefix(f.Func, "testing.runTests"), strings.HasPrefix(f.Func, "testing.runFuzz"):
			return "", false
		}
		// The outermost frame of a test file names the top-level test,
		// which is what -run selects; a subtest's closure is TestX.func1.
		if fn := f.Short(); strings.HasPrefix(fn, "Test") && strings.HasSuffix(f.File, "_test.go") {
			name, _, _ = strings.Cut(fn, ".")
		}
	}
	return "", false
}

// report prints the test that ran too long, its step, and where the
// goroutines wait in the student's files, in go test's own layout so that
// go test -json and the workshop command see a failed test.
func (w *watchdog) report(name string, ran time.Duration, g gotest.Goroutine, all []gotest.Goroutine) {
	shown := name
	if shown == "" {
		shown = "a test's cleanup"
	}
	what := shown
	if n := course.StepOf(name); n > 0 {
		what = fmt.Sprintf("%s (step %d)", name, n)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- FAIL: %s (%.2fs)\n", shown, ran.Seconds())
	fmt.Fprintf(&b, "    %s is still running after %s, past the budget of %s a test has: the code is blocked: it waits for something that never comes, or loops for ever.\n",
		what, ran.Round(time.Second), w.budget)

	// Where each goroutine is in the student's files, the test's first.
	var where []string
	count := map[string]int{}
	add := func(g gotest.Goroutine) {
		for _, f := range g.Frames {
			if in, test := f.InDir(w.dir); in && !test {
				line := fmt.Sprintf("%s  [%s]", f.Where(), g.State)
				if count[line] == 0 {
					where = append(where, line)
				}
				count[line]++
				return
			}
		}
	}
	add(g)
	for _, o := range all {
		if o.ID != g.ID {
			add(o)
		}
	}
	if len(where) > 0 {
		fmt.Fprintf(&b, "    Your code waits here:\n")
		for _, line := range where {
			if n := count[line]; n > 1 {
				line += fmt.Sprintf(" (%d goroutines)", n)
			}
			fmt.Fprintf(&b, "        %s\n", line)
		}
	} else {
		fmt.Fprintf(&b, "    No goroutine is in your files right now: the test waits for your code to answer, send or close something.\n")
	}
	if f, ok := testFrame(g, w.dir); ok {
		fmt.Fprintf(&b, "    The test waits at %s.\n", f.Where())
	} else if f, ok := firstCall(g); ok {
		fmt.Fprintf(&b, "    The test has returned; its cleanup waits in %s.\n", f)
	}
	fmt.Fprintf(&b, "    Look there for a channel nobody sends on or closes, a read without a deadline, a context ignored,\n")
	fmt.Fprintf(&b, "    a lock never released or a loop that never ends (one that retries at io.EOF).\n")
	if name != "" {
		fmt.Fprintf(&b, "    For the whole goroutine dump, run: go test -run \"^%s$\" -timeout %s\n", name, (w.budget + 10*time.Second).Round(time.Second))
	}
	b.WriteString("FAIL\n")
	io.WriteString(w.out, b.String())
}

// testFrame is the innermost frame of g in one of the package's test files.
func testFrame(g gotest.Goroutine, dir string) (gotest.Frame, bool) {
	for _, f := range g.Frames {
		if in, test := f.InDir(dir); in && test {
			return f, true
		}
	}
	return gotest.Frame{}, false
}

// firstCall is the call that testing made on g, outside the runtime:
// the cleanup it runs, "grpc.(*Server).GracefulStop".
func firstCall(g gotest.Goroutine) (string, bool) {
	last := ""
	for _, f := range g.Frames {
		if strings.HasPrefix(f.Func, "testing.") {
			break
		}
		if !strings.HasPrefix(f.Func, "runtime.") && !strings.HasPrefix(f.Func, "sync.") && !strings.HasPrefix(f.Func, "internal/") {
			last = f.Func[strings.LastIndex(f.Func, "/")+1:]
		}
	}
	return last, last != ""
}
