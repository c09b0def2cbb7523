package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/room"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// serveRoom runs room serve in the sample workshop at root, on a free
// port, until the test ends; it returns the join command it printed.
func serveRoom(t *testing.T, root string, args ...string) (joinArgs []string, stdout *testkit.SyncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout = &testkit.SyncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"room", "serve", "-addr", "127.0.0.1:0"}, args...), root, strings.NewReader(""), stdout, stdout, func(string) string { return "" })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("room serve ended with exit code %d; output:\n%s", code, stdout)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("room serve did not stop within 10 s of Ctrl-C")
		}
	})
	join := regexp.MustCompile(`go run \./cmd/workshop (room join \S+ -name "Your Name" -code \S+)`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := join.FindStringSubmatch(stdout.String()); m != nil {
			f := strings.Fields(strings.Replace(m[1], `"Your Name"`, "Ada", 1))
			return f, stdout
		}
	}
	t.Fatalf("room serve printed no join command within 10 s; output:\n%s", stdout)
	return nil, nil
}

// boardOf reads the board of the room that join args point at.
func boardOf(t *testing.T, joinArgs []string) room.View {
	t.Helper()
	resp, err := http.Get("http://" + joinArgs[2] + "/board.json?code=" + joinArgs[len(joinArgs)-1])
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v room.View
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRoomJoinReportLeave(t *testing.T) {
	root := fixture(t)
	joinArgs, served := serveRoom(t, root)
	for _, want := range []string{"Room ", " is open: 0 students on the board (kept in .workshop", "Board:  http://127.0.0.1:", "Students join with this command", "Only this machine can join"} {
		if !strings.Contains(served.String(), want) {
			t.Errorf("room serve's output lacks %q:\n%s", want, served)
		}
	}

	// The code may be typed in lower case; the student's folder may be a
	// chapter's.
	args := append(joinArgs[:len(joinArgs)-1:len(joinArgs)-1], strings.ToLower(joinArgs[len(joinArgs)-1]))
	workshop(t, filepath.Join(root, "01-sample"), "", args...).expect(t, exitOK, "You joined room ", ` as "Ada".`, "room leave")
	if got := read(t, filepath.Join(root, ".workshop", "room-joined.json")); !strings.Contains(got, `"name": "Ada"`) {
		t.Errorf(".workshop/room-joined.json does not hold the room joined: %s", got)
	}
	if v := boardOf(t, joinArgs); len(v.Students) != 1 || v.Students[0].Cells != "nn" {
		t.Fatalf("after join, the board shows %+v; want Ada with two steps not started", v.Students)
	}

	workshop(t, root, "", "hint", "01", "1").expect(t, exitOK, "Hint 1 of")
	workshop(t, root, "", "check", "01").expect(t, exitNotDone, "Step 1 is not done yet")
	if s := boardOf(t, joinArgs).Students[0]; s.Cells != "fn" || s.Test != "TestStep1_Greet" || s.Hints != 1 {
		t.Errorf("after a hint and a failing check, Ada's row is %+v; want step 1 failing on TestStep1_Greet, 1 hint read", s)
	}
	solveStep1(t, root)
	workshop(t, root, "").expect(t, exitOK, "next: step 2")
	if s := boardOf(t, joinArgs).Students[0]; s.Cells != "df" || s.Test != "TestStep2_WordCount" {
		t.Errorf("after step 1 passes, Ada's row is %+v; want step 1 done, step 2 failing on TestStep2_WordCount", s)
	}

	// Joining again: a wrong code changes nothing; the right one moves
	// Ada to a new row.
	wrong := append(joinArgs[:len(joinArgs)-1:len(joinArgs)-1], "WRONG234")
	workshop(t, root, "", wrong...).expect(t, exitNotDone, "the room refused the code")
	if v := boardOf(t, joinArgs); len(v.Students) != 1 || v.Students[0].Cells != "df" {
		t.Errorf("after a join with a wrong code, the board shows %+v; want Ada's row as it was", v.Students)
	}
	workshop(t, root, "", joinArgs...).expect(t, exitOK, "You joined room ")
	if v := boardOf(t, joinArgs); len(v.Students) != 1 || v.Students[0].Cells != "nn" {
		t.Errorf("after joining again, the board shows %+v; want one new row for Ada", v.Students)
	}

	workshop(t, root, "", "room", "leave").expect(t, exitOK, "You left room ")
	if v := boardOf(t, joinArgs); len(v.Students) != 0 {
		t.Errorf("after leave, the board still shows %+v", v.Students)
	}
	workshop(t, root, "", "room", "leave").expect(t, exitOK, "You are in no room")
}

func TestRoomUnreachableIsSaidOnce(t *testing.T) {
	root := fixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close() // nothing listens there now

	workshop(t, root, "", "room", "join", dead, "-name", "Ada", "-code", "ABCDEFGH").
		expect(t, exitNotDone, "cannot join the room at "+dead, "nothing answers there", "docs/troubleshooting.md")

	// A student whose room went away: their commands work as before, and
	// say so once.
	data, _ := json.Marshal(joined{Addr: dead, Code: "ABCDEFGH", Name: "Ada", ID: "0123"})
	os.MkdirAll(filepath.Join(root, ".workshop"), 0o755)
	if err := os.WriteFile(filepath.Join(root, ".workshop", "room-joined.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	first := workshop(t, root, "", "check", "01")
	first.expect(t, exitNotDone, "Step 1 is not done yet", "could not tell the room at "+dead, "said once")
	second := workshop(t, root, "", "check", "01")
	second.expect(t, exitNotDone, "Step 1 is not done yet")
	second.refuse(t, "could not tell the room")
	t.Logf("two checks with the room unreachable took %v", time.Since(start))
}

func TestRoomJoinUsage(t *testing.T) {
	root := fixture(t)
	joinArgs, _ := serveRoom(t, root)
	addr := joinArgs[2]
	for _, tt := range []struct {
		args  []string
		code  int
		wants []string
	}{
		{[]string{"room"}, exitUsage, []string{"room serve", "room join", "room leave"}},
		{[]string{"room", "dance"}, exitUsage, []string{`no subcommand "dance"`}},
		{[]string{"room", "join", addr, "-name", "Ada"}, exitUsage, []string{"-name and -code are all needed"}},
		{[]string{"room", "join", "http://" + addr, "-name", "Ada", "-code", "X"}, exitUsage, []string{"is a web address"}},
		{[]string{"room", "join", "7070", "-name", "Ada", "-code", "X"}, exitUsage, []string{"is not host:port"}},
		{[]string{"room", "join", addr, "-name", "Ada", "-code", "WRONG234"}, exitNotDone, []string{"the room refused the code"}},
		{[]string{"room", "join", addr, "-name", strings.Repeat("a", 40), "-code", joinArgs[len(joinArgs)-1]}, exitNotDone, []string{"at most 32 characters"}},
		{[]string{"room", "serve", "-stuck", "0s"}, exitUsage, []string{"-stuck must be a positive duration"}},
	} {
		workshop(t, root, "", tt.args...).expect(t, tt.code, tt.wants...)
	}
}

// TestRoomServeStopsOnSIGTERM runs the real command, with the board's page
// following the room, and stops it as a service manager would.
func TestRoomServeStopsOnSIGTERM(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no SIGTERM; Ctrl-C stops room serve through the same context")
	}
	bin := filepath.Join(t.TempDir(), "workshop")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := fixture(t)
	var out testkit.SyncBuffer
	cmd := exec.Command(bin, "room", "serve", "-addr", "127.0.0.1:0")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()

	waitFor(t, &out, "Ctrl-C closes the room", 30*time.Second)
	board := regexp.MustCompile(`Board:  (\S+)`).FindStringSubmatch(out.String())
	events, err := http.Get(strings.Replace(board[1], "/?", "/events?", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGTERM, room serve exited with %v; want exit code 0\n%s", err, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("room serve did not exit within 10 s of SIGTERM, with a board open; it printed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "is closed; its board is kept in") {
		t.Errorf("room serve did not say it closed the room; it printed:\n%s", out.String())
	}
}

// TestRoomOfAnotherVersion: a student whose course differs from the room's
// is told once, and their check works as before.
func TestRoomOfAnotherVersion(t *testing.T) {
	root := fixture(t)
	joinArgs, _ := serveRoom(t, root)
	workshop(t, root, "", joinArgs...).expect(t, exitOK, "You joined room ")
	replaceIn(t, root, "course.json", `{"n": 2, "title": "Count words", "tests": ["TestStep2_WordCount", "TestStep2_Empty"]}`,
		`{"n": 2, "title": "Count words", "tests": ["TestStep2_WordCount", "TestStep2_Empty"]}, {"n": 3, "title": "New", "tests": ["TestStep3_New"]}`)
	workshop(t, root, "", "check", "01").expect(t, exitNotDone, "Step 1 is not done yet", "01-sample has 2 steps, not 3", "same version as the instructor's")
}
