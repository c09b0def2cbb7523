package room

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/room/roompb"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

var shot = flag.String("shot", "", "also save a screenshot of the simulated room's board to this .png file")

// simulated are the students of a simulated room: how many steps each has
// done (chapter after chapter), and whether they have been on the next one
// for a quarter of an hour.
var simulated = []struct {
	name  string
	done  int
	stuck bool
	hints int32
}{
	{"Ada Lovelace", 9, false, 0},
	{"Grace Hopper", 12, false, 1},
	{"Alan Turing", 7, true, 3},
	{"<img src=x onerror=alert(1)>", 2, false, 0},
	{"Barbara Liskov", 10, false, 0},
	{"Ken Thompson", 7, false, 2},
	{"Rob Pike", 5, true, 1},
	{"李雷", 8, false, 0},
}

// simulateRoom fills a room serving the workshop's own course with the
// simulated students.
func simulateRoom(t *testing.T) (*testRoom, *course.Course) {
	c, err := course.Load(testkit.Root(t))
	if err != nil {
		t.Fatal(err)
	}
	clk := newClock()
	s, err := Open(filepath.Join(t.TempDir(), "room"), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := serveRoom(t, s, clk.now)
	r.SetJoinCommand(`go run ./cmd/workshop room join 192.168.1.20:7070 -name "Your Name" -code ` + r.Code())
	cl := r.client(t, r.Code())
	ids := map[string]string{}
	for _, stu := range simulated {
		ids[stu.name] = join(t, cl, stu.name)
	}
	// The stuck ones report first; a quarter of an hour later, the others.
	for _, stuck := range []bool{true, false} {
		for _, stu := range simulated {
			if stu.stuck == stuck {
				report(t, cl, ids[stu.name], chaptersDone(c, stu.done, stu.hints)...)
			}
		}
		clk.advance(15 * time.Minute)
	}
	clk.advance(-14 * time.Minute)
	return r, c
}

// chaptersDone is a report of n steps done, chapter after chapter, the
// next one failing on its first test with hints read.
func chaptersDone(c *course.Course, n int, hints int32) []*roompb.Chapter {
	var out []*roompb.Chapter
	for _, ch := range c.Chapters {
		if !ch.Present() || n < 0 {
			continue
		}
		rc := &roompb.Chapter{Dir: ch.Dir}
		for _, s := range ch.Steps {
			st := &roompb.Step{State: roompb.State_STATE_NOT_STARTED}
			switch {
			case n > 0:
				st.State = roompb.State_STATE_DONE
			case n == 0:
				st.State, st.FailingTest, st.Hints = roompb.State_STATE_FAILING, s.Tests[0], hints
			}
			n--
			rc.Steps = append(rc.Steps, st)
		}
		out = append(out, rc)
	}
	return out
}

// chromium finds a Chromium to drive, or skips the test saying why.
func chromium(t *testing.T) string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("no Chromium (/usr/bin/chromium, or chromium, chromium-browser or google-chrome on PATH): install one to test the board in a real browser, for example apt-get install chromium")
	return ""
}

// browser is a headless Chromium driven over the DevTools protocol, on a
// pipe (no port): JSON messages, each ended by a NUL byte.
type browser struct {
	t       *testing.T
	in      *os.File // to Chromium
	out     *bufio.Reader
	stderr  *testkit.SyncBuffer
	next    int
	session string
}

// openBrowser starts Chromium without a window and opens url in it.
func openBrowser(t *testing.T, path, url string) *browser {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, path, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--window-size=1600,900", "--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	toChromium, in, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	out, fromChromium, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.ExtraFiles = []*os.File{toChromium, fromChromium} // its fd 3 and fd 4
	stderr := &testkit.SyncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	toChromium.Close()
	fromChromium.Close()
	t.Cleanup(func() { cancel(); cmd.Wait(); in.Close(); out.Close() })

	b := &browser{t: t, in: in, out: bufio.NewReader(out), stderr: stderr}
	var target struct{ TargetID string }
	b.call("Target.createTarget", map[string]any{"url": url}, &target)
	var attached struct{ SessionID string }
	b.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	b.session = attached.SessionID
	return b
}

// call sends one DevTools command and decodes its result into result.
func (b *browser) call(method string, params map[string]any, result any) {
	b.t.Helper()
	b.next++
	msg, _ := json.Marshal(map[string]any{"id": b.next, "method": method, "params": params, "sessionId": b.session})
	if _, err := b.in.Write(append(msg, 0)); err != nil {
		b.t.Fatalf("Chromium: %s: %v", method, err)
	}
	for {
		line, err := b.out.ReadBytes(0)
		if err != nil {
			b.t.Fatalf("Chromium: %s: no answer (%v); it printed:\n%s", method, err, b.stderr)
		}
		var reply struct {
			ID     int
			Result json.RawMessage
			Error  *struct{ Message string }
		}
		json.Unmarshal(line[:len(line)-1], &reply)
		if reply.ID != b.next {
			continue // an event, or an answer to no one
		}
		if reply.Error != nil {
			b.t.Fatalf("Chromium: %s: %s", method, reply.Error.Message)
		}
		json.Unmarshal(reply.Result, result)
		return
	}
}

// eval evaluates a JavaScript expression in the page and returns its
// value as JSON.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	var r struct{ Result struct{ Value any } }
	b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r)
	v, _ := json.Marshal(r.Result.Value)
	return string(v)
}

// waitFor polls expr until it evaluates to want, for up to limit, and
// returns how long that took.
func (b *browser) waitFor(expr, want string, limit time.Duration) time.Duration {
	b.t.Helper()
	start := time.Now()
	for {
		got := b.eval(expr)
		if got == want {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			b.t.Fatalf("in Chromium, %s is %s after %v, want %s", expr, got, limit, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestBoardInChromium(t *testing.T) {
	path := chromium(t)
	r, c := simulateRoom(t)
	b := openBrowser(t, path, fmt.Sprintf("http://%s/?code=%s", r.addr, r.Code()))

	b.waitFor(`document.getElementById("status").textContent`, `"live"`, 30*time.Second)
	b.waitFor(`document.querySelectorAll("td.name").length`, fmt.Sprint(len(simulated)), time.Second)
	for expr, want := range map[string]string{
		`document.getElementById("title").textContent`:                                                           fmt.Sprintf(`"Room %s: %d students, stuck after 10 min"`, r.Code(), len(simulated)),
		`[...document.querySelectorAll("td.name")].some(td => td.textContent == "<img src=x onerror=alert(1)>")`: "true",
		`document.querySelectorAll("img").length`:                                                                "0",
		`document.querySelectorAll("td.cell.s").length`:                                                          "2",
		`[...document.querySelectorAll("td.now.stuck")].map(td => td.innerText).sort()`:                          `["STUCK · 02-protobuf step 1 · 16 min\nTestStep1_HelloRequestBytes","STUCK · 02-protobuf step 3 · 16 min\nTestStep3_OldCodeKeepsNewFields"]`,
		`document.querySelector("tr.passed td:nth-child(3)").textContent`:                                        fmt.Sprintf(`"%d"`, len(simulated)), // 01 step 1: everyone
	} {
		if got := b.eval(expr); got != want {
			t.Errorf("in Chromium, %s is %s, want %s", expr, got, want)
		}
	}

	// A student joins and reports: the board follows without a reload.
	cl := r.client(t, r.Code())
	start := time.Now()
	report(t, cl, join(t, cl, "Zed"), chaptersDone(c, 1, 0)...)
	b.waitFor(`document.querySelectorAll("td.name").length`, fmt.Sprint(len(simulated)+1), 5*time.Second)
	t.Logf("a report reached the board in Chromium %v after it was sent", time.Since(start).Round(time.Millisecond))

	if *shot != "" {
		var png struct{ Data []byte }
		b.call("Page.captureScreenshot", map[string]any{"format": "png"}, &png)
		if err := os.WriteFile(*shot, png.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", *shot)
	}
}
