package room

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/room/roompb"
)

// testCourse has two chapters: 01-a with three steps, 02-b with two.
func testCourse(t testing.TB) *course.Course {
	t.Helper()
	c, err := course.Parse([]byte(`{"chapters": [
		{"dir": "01-a", "title": "A", "timeout": "30s", "steps": [
			{"n": 1, "title": "One", "tests": ["TestStep1_X", "TestStep1_Y"]},
			{"n": 2, "title": "Two", "tests": ["TestStep2_X"]},
			{"n": 3, "title": "Three", "tests": ["TestStep3_X"]}]},
		{"dir": "02-b", "title": "B", "timeout": "30s", "steps": [
			{"n": 1, "title": "One", "tests": ["TestStep1_Z"]},
			{"n": 2, "title": "Two", "tests": ["TestStep2_Z"]}]},
		{"dir": "03-c", "title": "Planned", "timeout": "30s"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clock is a time the test moves by hand.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// testRoom is a room served on a free port of localhost for one test.
type testRoom struct {
	*Server
	addr string
	stop func() // stops serving and waits for Serve to return
}

func startRoom(t testing.TB, dir string, opts Options, now func() time.Time) *testRoom {
	t.Helper()
	s, err := Open(dir, testCourse(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return serveRoom(t, s, now)
}

// serveRoom serves s until the test ends, with its clock set to now
// unless now is nil.
func serveRoom(t testing.TB, s *Server, now func() time.Time) *testRoom {
	t.Helper()
	if now != nil {
		s.now = now
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Serve: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("the room did not stop within 10 s of its context ending")
			}
		})
	}
	t.Cleanup(stop)
	return &testRoom{Server: s, addr: ln.Addr().String(), stop: stop}
}

func (r *testRoom) client(t testing.TB, code string) *Client {
	t.Helper()
	c, err := Dial(r.addr, code)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func join(t testing.TB, c *Client, name string) string {
	t.Helper()
	id, err := c.Join(ctx(t), name)
	if err != nil {
		t.Fatalf("Join(%q): %v", name, err)
	}
	return id
}

func steps(states ...any) []*roompb.Step {
	var out []*roompb.Step
	for _, s := range states {
		switch s := s.(type) {
		case roompb.State:
			out = append(out, &roompb.Step{State: s})
		case string: // a failing test
			out = append(out, &roompb.Step{State: roompb.State_STATE_FAILING, FailingTest: s})
		}
	}
	return out
}

const (
	done       = roompb.State_STATE_DONE
	notStarted = roompb.State_STATE_NOT_STARTED
)

func report(t testing.TB, c *Client, id string, chapters ...*roompb.Chapter) {
	t.Helper()
	if err := c.Report(ctx(t), id, chapters); err != nil {
		t.Fatalf("Report: %v", err)
	}
}

func getJSON(t testing.TB, url string, into any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s: %s", url, resp.Status, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func TestBoardShowsTheRoom(t *testing.T) {
	clk := newClock()
	r := startRoom(t, filepath.Join(t.TempDir(), "room"), Options{}, clk.now)
	c := r.client(t, r.Code())
	ada, bob, cy := join(t, c, "Ada"), join(t, c, "bob"), join(t, c, "Cy")
	report(t, c, ada, &roompb.Chapter{Dir: "01-a", Steps: steps(done, done, "TestStep3_X")})
	clk.advance(3 * time.Minute)
	report(t, c, ada, &roompb.Chapter{Dir: "02-b", Steps: steps("TestStep1_Z", notStarted)})
	report(t, c, bob, &roompb.Chapter{Dir: "01-a", Steps: []*roompb.Step{{State: done, Hints: 2}, {State: roompb.State_STATE_FAILING, FailingTest: "TestStep2_X", Hints: 1}, {State: notStarted}}})
	report(t, c, cy, &roompb.Chapter{Dir: "01-a", Problem: roompb.Problem_PROBLEM_BUILD_FAILED})
	clk.advance(time.Minute)

	var v View
	getJSON(t, "http://"+r.addr+"/board.json?code="+r.Code(), &v)
	want := []ViewStudent{
		{Name: "Ada", Cells: "ddffn", Failing: map[int]string{2: "TestStep3_X", 3: "TestStep1_Z"}, Where: "02-b step 1", Test: "TestStep1_Z", For: "1 min", Seen: "1 min"},
		{Name: "bob", Cells: "dfnnn", Failing: map[int]string{1: "TestStep2_X"}, Where: "01-a step 2", Test: "TestStep2_X", For: "1 min", Hints: 3, Seen: "1 min"},
		{Name: "Cy", Cells: "fnnnn", Failing: map[int]string{0: "does not compile"}, Where: "01-a step 1", Test: "does not compile", For: "1 min", Seen: "1 min"},
	}
	if diff := cmp.Diff(want, v.Students); diff != "" {
		t.Errorf("the board's rows (-want +got):\n%s", diff)
	}
	var passed []int
	for _, ch := range v.Chapters {
		for _, s := range ch.Steps {
			passed = append(passed, s.Passed)
		}
	}
	if diff := cmp.Diff([]int{2, 1, 0, 0, 0}, passed); diff != "" {
		t.Errorf("passed per step (-want +got):\n%s\nThe planned chapter 03-c has no columns; 01-a has 3, 02-b has 2.", diff)
	}
}

func TestStuckMark(t *testing.T) {
	clk := newClock()
	r := startRoom(t, filepath.Join(t.TempDir(), "room"), Options{StuckAfter: 10 * time.Minute}, clk.now)
	c := r.client(t, r.Code())
	id := join(t, c, "Ada")
	failing := &roompb.Chapter{Dir: "01-a", Steps: steps(done, "TestStep2_X", notStarted)}
	report(t, c, id, failing)
	clk.advance(9 * time.Minute)
	report(t, c, id, failing) // the same state again does not restart the clock
	if s := r.View().Students[0]; s.Stuck || s.Cells != "dfnnn" {
		t.Fatalf("after 9 minutes on a step, want not stuck (cells dfnnn), got stuck=%v cells %s", s.Stuck, s.Cells)
	}
	clk.advance(time.Minute)
	if s := r.View().Students[0]; !s.Stuck || s.Cells != "dsnnn" || s.For != "10 min" {
		t.Fatalf("after 10 minutes on a failing step, want stuck (cells dsnnn, for 10 min), got stuck=%v cells %s for %s", s.Stuck, s.Cells, s.For)
	}
	report(t, c, id, &roompb.Chapter{Dir: "01-a", Steps: steps(done, "TestStep2_X", notStarted)}) // no change
	report(t, c, id, &roompb.Chapter{Dir: "01-a", Steps: steps(done, done, "TestStep3_X")})
	if s := r.View().Students[0]; s.Stuck || s.Cells != "ddfnn" {
		t.Fatalf("after the next step starts failing, want not stuck (cells ddfnn), got stuck=%v cells %s", s.Stuck, s.Cells)
	}
}

func TestBadCallsGetAClearStatus(t *testing.T) {
	r := startRoom(t, filepath.Join(t.TempDir(), "room"), Options{}, nil)
	good := r.client(t, r.Code())
	id := join(t, good, "Ada")
	ch := func(dir string, s ...*roompb.Step) *roompb.Chapter { return &roompb.Chapter{Dir: dir, Steps: s} }
	tests := []struct {
		name string
		call func() error
		want codes.Code
	}{
		{"wrong code", func() error { _, err := r.client(t, "WRONG123").Join(ctx(t), "Eve"); return err }, codes.PermissionDenied},
		{"no code", func() error { _, err := r.client(t, "").Join(ctx(t), "Eve"); return err }, codes.PermissionDenied},
		{"code with a different case", func() error { _, err := r.client(t, strings.ToLower(r.Code())).Join(ctx(t), "Eve"); return err }, codes.PermissionDenied},
		{"wrong code on a report", func() error {
			return r.client(t, "WRONG123").Report(ctx(t), id, []*roompb.Chapter{ch("01-a", steps(done, done, done)...)})
		}, codes.PermissionDenied},
		{"empty name", func() error { _, err := good.Join(ctx(t), "   "); return err }, codes.InvalidArgument},
		{"long name", func() error { _, err := good.Join(ctx(t), strings.Repeat("a", MaxName+1)); return err }, codes.InvalidArgument},
		{"name with a newline", func() error { _, err := good.Join(ctx(t), "Ada\nBob"); return err }, codes.InvalidArgument},
		{"unknown student", func() error {
			return good.Report(ctx(t), "nobody", []*roompb.Chapter{ch("01-a", steps(done, done, done)...)})
		}, codes.NotFound},
		{"no chapters", func() error { return good.Report(ctx(t), id, nil) }, codes.InvalidArgument},
		{"unknown chapter", func() error { return good.Report(ctx(t), id, []*roompb.Chapter{ch("../etc", steps(done)...)}) }, codes.InvalidArgument},
		{"chapter by number", func() error { return good.Report(ctx(t), id, []*roompb.Chapter{ch("01", steps(done, done, done)...)}) }, codes.InvalidArgument},
		{"planned chapter", func() error { return good.Report(ctx(t), id, []*roompb.Chapter{ch("03-c")}) }, codes.InvalidArgument},
		{"too few steps", func() error { return good.Report(ctx(t), id, []*roompb.Chapter{ch("01-a", steps(done)...)}) }, codes.InvalidArgument},
		{"test of another step", func() error {
			return good.Report(ctx(t), id, []*roompb.Chapter{ch("01-a", steps("TestStep2_X", notStarted, notStarted)...)})
		}, codes.InvalidArgument},
		{"made-up test", func() error {
			return good.Report(ctx(t), id, []*roompb.Chapter{ch("01-a", steps("<script>", notStarted, notStarted)...)})
		}, codes.InvalidArgument},
		{"unknown state", func() error {
			return good.Report(ctx(t), id, []*roompb.Chapter{ch("01-a", &roompb.Step{State: 7}, &roompb.Step{}, &roompb.Step{})})
		}, codes.InvalidArgument},
		{"test on a done step", func() error {
			return good.Report(ctx(t), id, []*roompb.Chapter{ch("01-a", &roompb.Step{State: done, FailingTest: "TestStep1_X"}, &roompb.Step{State: done}, &roompb.Step{State: done})})
		}, codes.InvalidArgument},
		{"negative hints", func() error {
			return good.Report(ctx(t), id, []*roompb.Chapter{ch("01-a", &roompb.Step{State: done, Hints: -1}, &roompb.Step{State: done}, &roompb.Step{State: done})})
		}, codes.InvalidArgument},
		{"unknown problem", func() error { return good.Report(ctx(t), id, []*roompb.Chapter{{Dir: "01-a", Problem: 9}}) }, codes.InvalidArgument},
		{"problem and steps", func() error {
			return good.Report(ctx(t), id, []*roompb.Chapter{{Dir: "01-a", Problem: 1, Steps: steps(done, done, done)}})
		}, codes.InvalidArgument},
		{"huge report", func() error { return good.Report(ctx(t), id, []*roompb.Chapter{ch(strings.Repeat("x", 100<<10))}) }, codes.ResourceExhausted},
		{"leave twice", func() error { good.Leave(ctx(t), join(t, good, "Once")); return good.Leave(ctx(t), "nobody") }, codes.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if got := status.Code(err); got != tt.want {
				t.Errorf("got %v (%v), want %v", got, err, tt.want)
			}
		})
	}

	// Bytes that are no message get grpc-go's own answer, Internal; bytes
	// that are no HTTP/2 end the connection; a board asked for without the
	// code is forbidden.
	var reply []byte
	err := good.conn.Invoke(good.withCode(ctx(t)), "/workshop.room.Room/Join", []byte("\x0a\x03A\xffB"), &reply, grpc.ForceCodec(rawCodec{}))
	if status.Code(err) != codes.Internal {
		t.Errorf("a name that is not UTF-8: got %v, want Internal (grpc-go's answer to bytes it cannot unmarshal)", err)
	}
	if conn, err := net.Dial("tcp", r.addr); err == nil {
		conn.Write([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\xff\xff\xff\xff\xff"))
		conn.Close()
	}
	for _, path := range []string{"/", "/board.json", "/events", "/?code=WRONG123"} {
		resp, err := http.Get("http://" + r.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s without the room code: %s, want 403 Forbidden", path, resp.Status)
		}
	}

	// The room still serves.
	report(t, good, id, ch("01-a", steps(done, done, done)...))
	if got := r.View().Students[0].Cells; got != "dddnn" {
		t.Errorf("after the bad calls, a good report gives cells %q, want dddnn", got)
	}
}

// rawCodec sends bytes as they are.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error)      { return v.([]byte), nil }
func (rawCodec) Unmarshal(data []byte, v any) error { *v.(*[]byte) = data; return nil }
func (rawCodec) Name() string                       { return "proto" }

func TestRateLimitAndFullRoom(t *testing.T) {
	clk := newClock()
	r := startRoom(t, filepath.Join(t.TempDir(), "room"), Options{}, clk.now)
	c := r.client(t, r.Code())
	id := join(t, c, "Ada")
	ok := &roompb.Chapter{Dir: "02-b", Steps: steps(done, done)}
	for range reportBurst {
		report(t, c, id, ok)
	}
	if err := c.Report(ctx(t), id, []*roompb.Chapter{ok}); status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("report %d in the same instant: got %v, want ResourceExhausted", reportBurst+1, err)
	}
	clk.advance(reportEvery)
	report(t, c, id, ok)

	var wg sync.WaitGroup
	for i := range MaxStudents - 1 {
		wg.Go(func() {
			if _, err := c.Join(ctx(t), "Student "+string(rune('A'+i%26))); err != nil {
				t.Errorf("Join: %v", err)
			}
		})
		if i%50 == 49 {
			wg.Wait()
		}
	}
	wg.Wait()
	if _, err := c.Join(ctx(t), "One too many"); status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("join %d: got %v, want ResourceExhausted", MaxStudents+1, err)
	}
}

func TestRestartKeepsTheBoard(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "room")
	clk := newClock()
	r := startRoom(t, dir, Options{}, clk.now)
	c := r.client(t, r.Code())
	id := join(t, c, "Ada")
	report(t, c, id, &roompb.Chapter{Dir: "01-a", Steps: steps(done, "TestStep2_X", notStarted)})
	before := r.View()
	r.stop()

	again := startRoom(t, dir, Options{}, clk.now)
	if diff := cmp.Diff(before, again.View()); diff != "" {
		t.Errorf("the board after a restart differs (-before +after):\n%s", diff)
	}
	// An acknowledged report is on disk: a room that dies right after it
	// leaves a folder that has it.
	report(t, again.client(t, before.Code), id, &roompb.Chapter{Dir: "01-a", Steps: steps(done, done, "TestStep3_X")})
	crashed := crashCopy(t, dir)
	if got := openView(t, crashed, clk).Students[0].Cells; got != "ddfnn" {
		t.Errorf("right after a report is acknowledged, the folder holds cells %s, want ddfnn", got)
	}
	again.stop()
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".room-*")); len(tmp) > 0 {
		t.Errorf("temporary files left behind: %v", tmp)
	}

	// A crash in the middle of writing a line: that change was never
	// acknowledged, and the changes after the restart are kept.
	log, err := os.OpenFile(filepath.Join(crashed, "room.log"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	log.WriteString(`{"id": "` + id + `", "student": {"name": "Ad`)
	log.Close()
	third := startRoom(t, crashed, Options{}, clk.now)
	report(t, third.client(t, before.Code), id, &roompb.Chapter{Dir: "01-a", Steps: steps(done, done, done)})
	if s := openView(t, crashCopy(t, crashed), clk).Students; len(s) != 1 || s[0].Name != "Ada" || s[0].Cells != "dddnn" {
		t.Errorf("after a line cut short, a restart and a report, the folder holds %+v; want Ada with cells dddnn", s)
	}
	third.stop()

	fresh := startRoom(t, dir, Options{New: true}, clk.now)
	if fresh.Code() == before.Code || fresh.Students() != 0 {
		t.Errorf("a room opened with New kept code %s (was %s) and %d students; want a new code and none", fresh.Code(), before.Code, fresh.Students())
	}

	fresh.stop()
	os.WriteFile(filepath.Join(dir, "room.json"), []byte("{not json"), 0o644)
	if _, err := Open(dir, testCourse(t), Options{}); err == nil || !strings.Contains(err.Error(), "-new") {
		t.Errorf("opening a damaged file: got %v, want an error that says to start a new room with -new", err)
	}
}

// crashCopy copies the room's folder as it is now, as a crash would leave
// it, while the room goes on.
func crashCopy(t *testing.T, dir string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "crashed")
	os.Mkdir(to, 0o755)
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err == nil {
			err = os.WriteFile(filepath.Join(to, f.Name()), data, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// openView opens the room kept in dir and returns its board.
func openView(t *testing.T, dir string, clk *clock) View {
	t.Helper()
	s, err := Open(dir, testCourse(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.now = clk.now
	return s.View()
}

func TestEventsFollowTheRoom(t *testing.T) {
	r := startRoom(t, filepath.Join(t.TempDir(), "room"), Options{}, nil)
	resp, err := http.Get("http://" + r.addr + "/events?code=" + r.Code())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("GET /events: Content-Type %q, want text/event-stream", ct)
	}
	events := make(chan View)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var v View
				json.Unmarshal([]byte(data), &v)
				events <- v
			}
		}
	}()
	next := func() View {
		select {
		case v := <-events:
			return v
		case <-time.After(2 * time.Second):
			t.Fatal("no event from /events within 2 s")
		}
		return View{}
	}
	if v := next(); len(v.Students) != 0 || v.Code != r.Code() {
		t.Fatalf("first event: %d students, code %s; want none, code %s", len(v.Students), v.Code, r.Code())
	}
	join(t, r.client(t, r.Code()), "Ada")
	start := time.Now()
	if v := next(); len(v.Students) != 1 {
		t.Fatalf("after a join, the next event (%v later) has %d students; want 1", time.Since(start), len(v.Students))
	}
	r.stop() // the stream ends with the room, in time
	for range events {
	}
}

func TestBoardPageLoadsNothingFromTheNetwork(t *testing.T) {
	r := startRoom(t, filepath.Join(t.TempDir(), "room"), Options{}, nil)
	resp, err := http.Get("http://" + r.addr + "/?code=" + r.Code())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "EventSource") {
		t.Fatalf("GET /: %s, %d bytes; want the board page", resp.Status, len(page))
	}
	for _, bad := range []string{"http:", "https:", "//", "src=", "href="} {
		if i := strings.Index(string(page), bad); i >= 0 && !(bad == "//" && strings.HasPrefix(string(page[i:]), "// ")) {
			t.Errorf("the board page contains %q (at %q): it must load nothing from the network", bad, page[i:min(len(page), i+40)])
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q does not forbid loading from elsewhere", csp)
	}
}
