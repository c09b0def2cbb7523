package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpcworkshop/workshop/internal/room"
	"github.com/rpcworkshop/workshop/internal/room/roompb"
)

// The room's files under .workshop/: the instructor's board (a folder),
// and the room a student joined.
const (
	roomServeDir   = "room"
	roomJoinedFile = "room-joined.json"
)

// reportDeadline bounds a report to the room: a student's command never
// waits longer for it.
const reportDeadline = time.Second

const roomUsage = `usage:
  go run ./cmd/workshop room serve [-addr host:port] [-stuck 10m] [-new]
      run the room's board on this machine (the instructor's), until Ctrl-C
  go run ./cmd/workshop room join <host:port> -name "Your Name" -code <code>
      report your step states to the room's board from now on
  go run ./cmd/workshop room leave
      stop reporting, and take your row off the board
`

// runRoom is the room subcommand: serve, join or leave.
func runRoom(ctx context.Context, a *app, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(a.stderr, roomUsage)
		return exitUsage
	}
	if slices.ContainsFunc(args, isHelp) {
		fmt.Fprint(a.stdout, roomUsage)
		return exitOK
	}
	switch args[0] {
	case "serve":
		return a.roomServe(ctx, args[1:])
	case "join":
		return a.roomJoin(ctx, args[1:])
	case "leave":
		return a.roomLeave(ctx, args[1:])
	}
	fmt.Fprintf(a.stderr, "workshop: room has no subcommand %q\n%s", args[0], roomUsage)
	return exitUsage
}

// roomFlags parses flags that may come before or after one positional
// argument (room join <addr> -name Ada -code X), returning it, or "".
func roomFlags(fs *flag.FlagSet, args []string) (string, error) {
	fs.SetOutput(io.Discard)
	pos, err := interleave(fs, args)
	switch {
	case err != nil:
		return "", err
	case len(pos) == 0:
		return "", nil
	case len(pos) > 1:
		return "", fmt.Errorf("unexpected argument %q", pos[1])
	}
	return pos[0], nil
}

func (a *app) roomServe(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("room serve", flag.ContinueOnError)
	addr := fs.String("addr", "localhost:7070", "where to listen; :7070 lets the room's other machines in")
	stuck := fs.Duration("stuck", 10*time.Minute, "mark a student stuck when a failing step has not changed for this long")
	fresh := fs.Bool("new", false, "start a new room: a new code and an empty board")
	arg, err := roomFlags(fs, args)
	if err == nil && arg != "" {
		err = fmt.Errorf("unexpected argument %q", arg)
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "workshop room serve: %v\n%s", err, roomUsage)
		return exitUsage
	}
	if *stuck <= 0 {
		return a.fail(usagef("room serve: -stuck must be a positive duration such as 10m"))
	}
	if err := a.makeStateDir(); err != nil {
		return a.fail(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return a.fail(fmt.Errorf("%v\nIs another room serve running? Pick another port: %s room serve -addr localhost:7071", err, a.self()))
	}
	defer ln.Close()
	state := filepath.Join(stateDir, roomServeDir)
	srv, err := room.Open(a.dir(state), a.course, room.Options{StuckAfter: *stuck, New: *fresh})
	if err != nil {
		return a.fail(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	host, _, _ := net.SplitHostPort(*addr)
	code := srv.Code()

	students := fmt.Sprintf("%d students", srv.Students())
	if srv.Students() == 1 {
		students = "1 student"
	}
	fmt.Fprintf(a.stdout, "%s: %s on the board (kept in %s).\n", a.paint(bold, "Room "+code+" is open"), students, state)
	fmt.Fprintf(a.stdout, "Board:  http://%s/?code=%s\n", net.JoinHostPort(boardHost(host), port), code)
	hosts := joinHosts(host)
	fmt.Fprintln(a.stdout, "Students join with this command, typed in the workshop's folder:")
	for _, h := range hosts {
		fmt.Fprintf(a.stdout, "  %s\n", a.paint(cyan, joinCommand(net.JoinHostPort(h, port), code)))
	}
	srv.SetJoinCommand(joinCommand(net.JoinHostPort(hosts[0], port), code))
	if isLoopback(host) {
		fmt.Fprintf(a.stdout, "Only this machine can join: the room listens on %s. To let the room's machines in:\n  %s room serve -addr :%s\n", host, a.self(), port)
	}
	fmt.Fprintln(a.stdout, "Ctrl-C closes the room; room serve opens it again as it was (-new: a new code, an empty board).")

	if err := srv.Serve(ctx, ln); err != nil {
		return a.fail(err)
	}
	fmt.Fprintf(a.stdout, "\nRoom %s is closed; its board is kept in %s.\n", code, state)
	return exitOK
}

// joinCommand is what a student types; it works the same in cmd.exe,
// PowerShell and a POSIX shell.
func joinCommand(addr, code string) string {
	return fmt.Sprintf(`go run ./cmd/workshop room join %s -name "Your Name" -code %s`, addr, code)
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// boardHost is where the instructor's own browser finds the board.
func boardHost(host string) string {
	if host == "" || host == "0.0.0.0" || host == "::" {
		return "localhost"
	}
	return host
}

// joinHosts are the addresses students can use: the host asked for, or,
// for a room listening on every interface, this machine's own addresses.
func joinHosts(host string) []string {
	if host != "" && host != "0.0.0.0" && host != "::" {
		return []string{host}
	}
	var hosts []string
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipnet, ok := a.(*net.IPNet); ok && ipnet.IP.To4() != nil && !ipnet.IP.IsLoopback() && !ipnet.IP.IsLinkLocalUnicast() {
			hosts = append(hosts, ipnet.IP.String())
		}
	}
	if len(hosts) == 0 {
		hosts = []string{"localhost"} // no network: only this machine can join
	}
	return hosts
}

// joined is the room a student joined, kept in .workshop/.
type joined struct {
	Addr string `json:"addr"`
	Code string `json:"code"`
	Name string `json:"name"`
	ID   string `json:"id"`
	// Problem is why the last report failed ("" when it worked), so that
	// the student is told once, not at every command.
	Problem string `json:"problem,omitempty"`
}

func (a *app) joinedFile() string { return a.dir(filepath.Join(stateDir, roomJoinedFile)) }

// joinedRoom is the room this workshop reports to, if any.
func (a *app) joinedRoom() (joined, bool) {
	var j joined
	data, err := os.ReadFile(a.joinedFile())
	if err != nil || json.Unmarshal(data, &j) != nil || j.Addr == "" || j.ID == "" {
		return joined{}, false
	}
	return j, true
}

func (a *app) saveJoined(j joined) error {
	if err := a.makeStateDir(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(a.joinedFile(), append(data, '\n'), 0o600)
}

func (a *app) roomJoin(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("room join", flag.ContinueOnError)
	name := fs.String("name", "", "your name on the board")
	code := fs.String("code", "", "the room code room serve printed")
	addr, err := roomFlags(fs, args)
	if err == nil && (addr == "" || *name == "" || *code == "") {
		err = errors.New("the room's address, -name and -code are all needed")
	}
	if err == nil {
		err = checkRoomAddr(addr)
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "workshop room join: %v\n%s", err, roomUsage)
		return exitUsage
	}
	*code = strings.ToUpper(strings.TrimSpace(*code))

	j := joined{Addr: addr, Code: *code, Name: strings.TrimSpace(*name)}
	err = a.callRoom(ctx, j, func(ctx context.Context, c *room.Client) (err error) {
		j.ID, err = c.Join(ctx, j.Name)
		return err
	})
	if err != nil {
		fmt.Fprintf(a.stderr, "workshop: cannot join the room at %s: %s\n", addr, roomAdvice(addr, err))
		return exitNotDone
	}
	if old, ok := a.joinedRoom(); ok { // joined again: take the old row off its board
		a.callRoom(ctx, old, func(ctx context.Context, c *room.Client) error { return c.Leave(ctx, old.ID) })
	}
	if err := a.saveJoined(j); err != nil {
		return a.fail(err)
	}
	fmt.Fprintf(a.stdout, "You joined room %s at %s as %q.\n", j.Code, addr, j.Name)
	fmt.Fprintln(a.stdout, "From now on, the progress table, check and watch send the board your step states (never your code).")
	fmt.Fprintf(a.stdout, "To stop: %s room leave\n", a.self())
	return exitOK
}

// checkRoomAddr refuses what is not host:port, saying what to type.
func checkRoomAddr(addr string) error {
	if strings.Contains(addr, "://") {
		return fmt.Errorf("%q is a web address; give only host:port, as room serve printed it", addr)
	}
	if host, port, err := net.SplitHostPort(addr); err != nil || host == "" || port == "" {
		return fmt.Errorf("%q is not host:port (for example 192.168.1.20:7070), as room serve printed it", addr)
	}
	return nil
}

func (a *app) roomLeave(ctx context.Context, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(a.stderr, "workshop room leave: unexpected argument %q\n%s", args[0], roomUsage)
		return exitUsage
	}
	j, ok := a.joinedRoom()
	if !ok {
		fmt.Fprintln(a.stdout, "You are in no room: nothing to leave.")
		return exitOK
	}
	err := a.callRoom(ctx, j, func(ctx context.Context, c *room.Client) error { return c.Leave(ctx, j.ID) })
	if err := os.Remove(a.joinedFile()); err != nil {
		return a.fail(err)
	}
	fmt.Fprintf(a.stdout, "You left room %s: your commands no longer report to it.\n", j.Code)
	if err != nil && status.Code(err) != codes.NotFound {
		fmt.Fprintf(a.stdout, "(The room could not be told, so your row stays on its board: %s)\n", roomAdvice(j.Addr, err))
	}
	return exitOK
}

// callRoom makes one call to j's room, within a few seconds.
func (a *app) callRoom(ctx context.Context, j joined, call func(context.Context, *room.Client) error) error {
	c, err := room.Dial(j.Addr, j.Code)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return call(ctx, c)
}

// roomAdvice says what a failed call to a room means, and what to do.
func roomAdvice(addr string, err error) string {
	s := status.Convert(err)
	switch s.Code() {
	case codes.PermissionDenied:
		return "the room refused the code. Copy it again from the board (it may be a new room), then join again."
	case codes.NotFound:
		return "the room does not know you (it may be a new room). Join it again with the command on the board."
	case codes.InvalidArgument, codes.ResourceExhausted:
		return s.Message() + "."
	case codes.Unavailable, codes.DeadlineExceeded:
		return fmt.Sprintf("nothing answers there. Check the address with your instructor, that the room listens on more than localhost (room serve -addr :%s), and the firewall; see docs/troubleshooting.md, \"A room students cannot reach\".", portOf(addr))
	}
	return s.Message()
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// reportToRoom tells the room joined, if any, the step states of chapters
// just tested; never code. It is best effort: it waits at most
// reportDeadline, never changes the command's outcome, and says once when
// the room cannot be reached.
func (a *app) reportToRoom(ctx context.Context, states ...chapterState) {
	j, ok := a.joinedRoom()
	if !ok || len(states) == 0 || ctx.Err() != nil {
		return
	}
	hints := a.loadHintLevels()
	var chapters []*roompb.Chapter
	for _, cs := range states {
		chapters = append(chapters, roomChapter(cs, hints))
	}
	ctx, cancel := context.WithTimeout(ctx, reportDeadline)
	defer cancel()
	var err error
	if c, dialErr := room.Dial(j.Addr, j.Code); dialErr != nil {
		err = dialErr
	} else {
		err = c.Report(ctx, j.ID, chapters)
		c.Close()
	}
	if ctx.Err() == context.Canceled { // the student pressed Ctrl-C: not the room's fault
		return
	}
	problem := ""
	if err != nil {
		problem = roomAdvice(j.Addr, err)
	}
	if status.Code(err) == codes.InvalidArgument { // the room's course is not this one
		problem += " Is your workshop the same version as the instructor's? Compare git log --oneline -1 with theirs."
	}
	if problem == j.Problem {
		return // said already, or all is well
	}
	switch {
	case problem == "":
		fmt.Fprintf(a.stderr, "workshop: the room at %s is reachable again; it has your step states.\n", j.Addr)
	default:
		fmt.Fprintf(a.stderr, "workshop: could not tell the room at %s your step states (your work is not affected; this is said once): %s\n", j.Addr, problem)
	}
	j.Problem = problem
	a.saveJoined(j)
}

// roomChapter is what the room hears of a chapter's test run: per step,
// done, failing (the step worked on: the first not done) with its first
// failing test, or not started; and the hints read.
func roomChapter(cs chapterState, hints map[string]int) *roompb.Chapter {
	c := &roompb.Chapter{Dir: cs.ch.Dir}
	switch {
	case cs.err != nil:
		c.Problem = roompb.Problem_PROBLEM_CANNOT_RUN
	case cs.result.BuildFailed:
		c.Problem = roompb.Problem_PROBLEM_BUILD_FAILED
	case cs.result.TimedOut:
		c.Problem = roompb.Problem_PROBLEM_TIMED_OUT
	case cs.result.Panicked:
		c.Problem = roompb.Problem_PROBLEM_PANICKED
	}
	if c.Problem != roompb.Problem_PROBLEM_NONE {
		return c
	}
	current := true // the first step not done is the one being worked on
	for _, s := range cs.steps {
		st := &roompb.Step{State: roompb.State_STATE_NOT_STARTED, Hints: int32(min(hints[fmt.Sprintf("%s/%d", cs.ch.Dir, s.step.N)], 100))}
		switch {
		case s.done:
			st.State = roompb.State_STATE_DONE
		case current && len(s.failing) > 0:
			st.State, st.FailingTest = roompb.State_STATE_FAILING, firstFailing(s)
		}
		if !s.done {
			current = false
		}
		c.Steps = append(c.Steps, st)
	}
	return c
}

// firstFailing is the first of a step's failing tests, in the course's
// order (the order testChapter collects them in).
func firstFailing(s stepState) string { return s.failing[0].Name }

// testedChapters lists, in the course's order, the chapters whose tests
// ran. One still as shipped, or skipped, was not tested: it tells the room
// nothing new (and check may have just reported it as started).
func (a *app) testedChapters(states map[string]chapterState) []chapterState {
	var list []chapterState
	for _, ch := range a.course.Chapters {
		cs, ok := states[ch.Dir]
		if ok && (cs.err != nil || len(cs.result.Tests) > 0 || cs.broken() != "") {
			list = append(list, cs)
		}
	}
	return list
}
