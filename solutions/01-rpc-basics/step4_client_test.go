package rpcbasics

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeServer stands in for step 3's server, so that the client's tests do
// not depend on it and can misbehave on purpose. It serves each connection
// it accepts with serve, and counts them.
func fakeServer(t testing.TB, serve func(conn net.Conn, r *bufio.Reader)) (addr string, conns *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("cannot listen on localhost: %v", err)
	}
	conns = new(atomic.Int32)
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(10 * time.Second))
				serve(conn, bufio.NewReader(conn))
			}()
		}
	}()
	t.Cleanup(func() { l.Close() })
	return l.Addr().String(), conns
}

// lateReply is how long echoServer takes to answer "Test.Late".
const lateReply = 200 * time.Millisecond

// echoServer answers every request with Employee{ID: call id, FullName: the
// name asked for}, except calls to "Test.Hang", which it never answers, and
// calls to "Test.Late", which it answers after lateReply.
func echoServer(conn net.Conn, r *bufio.Reader) {
	var mu sync.Mutex
	for {
		req, err := ReadFrame(r)
		if err != nil {
			return
		}
		if req.Method == "Test.Hang" {
			continue
		}
		go func() {
			if req.Method == "Test.Late" {
				time.Sleep(lateReply)
			}
			reply := Frame{Kind: KindReply, CallID: req.CallID}
			name, err := UnmarshalString(req.Body)
			if err != nil {
				reply.Error = err.Error()
			} else {
				reply.Body, _ = MarshalEmployee(Employee{ID: int64(req.CallID), FullName: name})
			}
			mu.Lock()
			defer mu.Unlock()
			WriteFrame(conn, reply)
		}()
	}
}

// dialClient connects a Client to addr and closes it when the test ends.
func dialClient(t testing.TB, addr string) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Dial(ctx, addr)
	stopIfNotDone(t, 4, err)
	if err != nil {
		t.Fatalf("step 4: Dial(%s): %v", addr, err)
	}
	t.Cleanup(func() { closeClient(t, c) })
	return c
}

// closeClient closes c when a test ends, and gives up after 5s, so that a
// Close stuck behind a blocked readLoop fails the test instead of hanging it.
func closeClient(t testing.TB, c *Client) {
	closed := make(chan struct{})
	go func() {
		c.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		if t.Failed() {
			return // the test has said what is wrong already
		}
		t.Errorf("step 4: Client.Close did not return within 5s: is readLoop stuck handing a reply to a caller that gave up? Make each call's channel buffered (make(chan Frame, 1))")
	}
}

// client connects a Client to the test server.
func (ts *testServer) client(t testing.TB) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Dial(ctx, ts.addr)
	if err != nil {
		ts.fatalf(t, "step %d: Dial(%s): %v", ts.step, ts.addr, err)
	}
	t.Cleanup(func() { closeClient(t, c) })
	return c
}

// getEmployee calls GetEmployeeByName with a 5s deadline.
func getEmployee(c *Client, name string) (Employee, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var e Employee
	err := c.Call(ctx, GetEmployeeByNameMethod, name, &e)
	return e, err
}

func TestStep4_Call(t *testing.T) {
	// The first call goes to a fake server that notes its call id.
	firstID := make(chan uint64, 1)
	addr, _ := fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		if req, err := ReadFrame(r); err == nil {
			firstID <- req.CallID
			body, _ := MarshalEmployee(Employee{FullName: "first"})
			WriteFrame(conn, Frame{Kind: KindReply, CallID: req.CallID, Body: body})
		}
	})
	_, err := getEmployee(dialClient(t, addr), "first")
	stopIfNotDone(t, 4, err)
	select {
	case id := <-firstID:
		if id == 0 {
			t.Fatalf("step 4: the first call went out with call id 0 (and returned %v); call id 0 names the whole connection, a reply with call id 0 is the server hanging up: number calls from 1 (increment c.nextID before you use it)", err)
		}
	default:
	}

	ts := startServer(t, 4, NewEmployeeServer(SampleDirectory()))
	c := ts.client(t)
	for _, name := range []string{"Ada Lovelace", "Alan Turing"} {
		got, err := getEmployee(c, name)
		stopIfNotDone(t, 4, err)
		if err != nil {
			ts.fatalf(t, "step 4: Call(GetEmployeeByName, %q) returned %v", name, err)
		}
		if diff := cmp.Diff(mustFind(t, name), got); diff != "" {
			t.Errorf("step 4: Call decoded the wrong employee (-want +got):\n%s", diff)
		}
	}
}

func TestStep4_ServerErrorsComeBack(t *testing.T) {
	ts := startServer(t, 4, NewEmployeeServer(SampleDirectory()))
	c := ts.client(t)
	_, err := getEmployee(c, "Nobody")
	stopIfNotDone(t, 4, err)
	var serverErr ServerError
	if !errors.As(err, &serverErr) || !strings.Contains(err.Error(), "employee not found") {
		t.Errorf("step 4: calling for an unknown employee returned %v (%T); want a ServerError with the reply's text, \"employee not found...\"", err, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = c.Call(ctx, "EmployeeService.Promote", "Ada Lovelace", new(Employee))
	if !errors.As(err, &serverErr) || !strings.Contains(err.Error(), "unknown method") {
		t.Errorf("step 4: calling an unknown method returned %v (%T); want a ServerError containing \"unknown method\"", err, err)
	}
	if _, err := getEmployee(c, "Ada Lovelace"); err != nil {
		t.Errorf("step 4: after two error replies the next call failed: %v; an error reply is a normal reply, the connection stays usable", err)
	}
}

func TestStep4_ManyCallersShareOneConnection(t *testing.T) {
	addr, conns := fakeServer(t, echoServer)
	c := dialClient(t, addr)
	const callers, callsEach = 20, 10
	var wg sync.WaitGroup
	errs := make(chan error, callers*callsEach)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range callsEach {
				name := strings.Repeat("x", i) + strings.Repeat("y", j)
				got, err := getEmployee(c, name)
				if err == nil && got.FullName != name {
					err = errors.New("asked for " + name + ", got the reply for " + got.FullName)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		stopIfNotDone(t, 4, err)
		t.Fatalf("step 4: %d goroutines calling at once on one Client: %v; give each call its own id and hand each reply to the caller with that id", callers, err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("step 4: the Client opened %d connections for %d calls; open one in Dial and share it", n, callers*callsEach)
	}
}

func TestStep4_RepliesMatchedByCallID(t *testing.T) {
	ids := make(chan uint64, 2)
	addr, _ := fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		// Read two requests, then answer the second one first.
		var reqs []Frame
		for range 2 {
			req, err := ReadFrame(r)
			if err != nil {
				return
			}
			ids <- req.CallID
			reqs = append(reqs, req)
		}
		for _, req := range []Frame{reqs[1], reqs[0]} {
			name, _ := UnmarshalString(req.Body)
			body, _ := MarshalEmployee(Employee{FullName: name})
			WriteFrame(conn, Frame{Kind: KindReply, CallID: req.CallID, Body: body})
		}
	})
	c := dialClient(t, addr)
	var wg sync.WaitGroup
	got := make([]Employee, 2)
	errs := make([]error, 2)
	for i, name := range []string{"first", "second"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = getEmployee(c, name)
		}()
	}
	wg.Wait()
	for i, name := range []string{"first", "second"} {
		stopIfNotDone(t, 4, errs[i])
		if errs[i] != nil {
			t.Fatalf("step 4: the call for %q failed: %v", name, errs[i])
		}
		if got[i].FullName != name {
			t.Errorf("step 4: the call for %q got the reply for %q: the server answered out of order; match each reply to its caller by CallID, not by order", name, got[i].FullName)
		}
	}
	if a, b := <-ids, <-ids; a == b || a == 0 || b == 0 {
		t.Errorf("step 4: two calls went out with call ids %d and %d; give each call its own id, starting at 1 (0 means the whole connection)", a, b)
	}
	replyWhileSending(t)
}

// holdConn is a connection whose second Write waits until release is
// closed: a call stuck sending its request.
type holdConn struct {
	net.Conn
	writes  atomic.Int32
	holding chan struct{} // closed when the second Write starts to wait
	release chan struct{}
}

func (c *holdConn) Write(p []byte) (int, error) {
	if c.writes.Add(1) == 2 {
		close(c.holding)
		<-c.release
	}
	return c.Conn.Write(p)
}

// replyWhileSending checks that readLoop never waits for a caller: call B's
// reply arrives while B is still sending its request, then call A's reply.
// A must get its reply at once.
func replyWhileSending(t *testing.T) {
	t.Helper()
	holding, release := make(chan struct{}), make(chan struct{})
	gotA := make(chan struct{})
	addr, _ := fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		a, err := ReadFrame(r)
		if err != nil {
			return
		}
		close(gotA)
		<-holding // B has its id and is writing its request
		guessB := a.CallID + 1
		body, _ := MarshalEmployee(Employee{FullName: "B"})
		WriteFrame(conn, Frame{Kind: KindReply, CallID: guessB, Body: body})
		body, _ = MarshalEmployee(Employee{FullName: "A"})
		WriteFrame(conn, Frame{Kind: KindReply, CallID: a.CallID, Body: body})
		if b, err := ReadFrame(r); err == nil && b.CallID != guessB {
			body, _ = MarshalEmployee(Employee{FullName: "B"})
			WriteFrame(conn, Frame{Kind: KindReply, CallID: b.CallID, Body: body})
		}
		io.Copy(io.Discard, r)
	})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("cannot connect to the test server: %v", err)
	}
	c := NewClient(&holdConn{Conn: conn, holding: holding, release: release})
	t.Cleanup(func() { closeClient(t, c) })
	released := false
	defer func() {
		if !released {
			close(release)
		}
	}()

	aDone := make(chan error, 1)
	go func() {
		_, err := getEmployee(c, "A")
		aDone <- err
	}()
	select {
	case <-gotA:
	case err := <-aDone:
		t.Fatalf("step 4: a call returned %v before the server answered", err)
	case <-time.After(5 * time.Second):
		t.Fatalf("step 4: a call's request did not reach the server within 5s")
	}
	bDone := make(chan error, 1)
	go func() {
		_, err := getEmployee(c, "B")
		bDone <- err
	}()
	select {
	case err := <-aDone:
		if err != nil {
			t.Fatalf("step 4: call A failed: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatalf("step 4: call A's reply came, but call A was still waiting 2s later: readLoop is stuck handing call B's reply to B, which is still sending its request. readLoop must never wait for a caller: make each call's channel buffered (make(chan Frame, 1))")
	}
	close(release)
	released = true
	if err := <-bDone; err != nil {
		t.Errorf("step 4: call B, whose reply came while it was still sending, returned %v; register the call's channel in pending before sending the request, since the reply may come before Write returns", err)
	}
}

func TestStep4_DeadlineAndCancel(t *testing.T) {
	addr, _ := fakeServer(t, echoServer)
	c := dialClient(t, addr)
	if _, err := getEmployee(c, "warm-up"); err != nil {
		stopIfNotDone(t, 4, err)
		t.Fatalf("step 4: a plain call failed: %v", err)
	}

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := c.Call(ctx, "Test.Hang", "x", new(Employee))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("step 4: a call the server never answers, with a 100ms deadline, returned %v after %v; want context.DeadlineExceeded when ctx.Done() fires (select on it)", err, time.Since(start).Round(time.Millisecond))
	}

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start = time.Now()
	err = c.Call(ctx, "Test.Hang", "x", new(Employee))
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Errorf("step 4: a call cancelled after 50ms returned %v after %v; want context.Canceled", err, time.Since(start).Round(time.Millisecond))
	}

	if err := c.Call(ctx, GetEmployeeByNameMethod, "x", new(Employee)); !errors.Is(err, context.Canceled) {
		t.Errorf("step 4: a call with an already cancelled context returned %v; want context.Canceled without sending anything", err)
	}

	// This reply comes after its caller gave up: readLoop must drop it.
	late, cancelLate := context.WithTimeout(context.Background(), lateReply/4)
	defer cancelLate()
	if err := c.Call(late, "Test.Late", "x", new(Employee)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("step 4: a call answered after its deadline returned %v; want context.DeadlineExceeded", err)
	}
	time.Sleep(lateReply + 100*time.Millisecond) // the late reply arrives now

	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var got Employee
	if err := c.Call(ctx, GetEmployeeByNameMethod, "after", &got); err != nil || got.FullName != "after" {
		t.Fatalf("step 4: after three abandoned calls (one answered late), the next call returned %+v, %v; abandoning a call must leave the connection usable: make each call's channel buffered (make(chan Frame, 1)) so that readLoop never blocks on a reply no one waits for", got, err)
	}
	c.mu.Lock()
	left := len(c.pending)
	c.mu.Unlock()
	if left != 0 {
		t.Errorf("step 4: every call has returned, but c.pending still holds %d call ids; a call that gives up deletes its id, and readLoop deletes the id of each reply it hands over", left)
	}
}

func TestStep4_ServerDiesMidCall(t *testing.T) {
	const callers = 3
	addr, _ := fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		for range callers {
			if _, err := ReadFrame(r); err != nil {
				return
			}
		}
		// Three calls are waiting: hang up without answering.
	})
	c := dialClient(t, addr)
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	start := time.Now()
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := getEmployee(c, "Ada Lovelace")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		stopIfNotDone(t, 4, err)
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("step 4: the server hung up with %d calls waiting; a caller got %v after %v; when the reading goroutine sees the connection end, wake every waiting caller with an error", callers, err, time.Since(start).Round(time.Millisecond))
		}
	}
	start = time.Now()
	if _, err := getEmployee(c, "Ada Lovelace"); err == nil || time.Since(start) > time.Second {
		t.Errorf("step 4: a call on a Client whose connection is gone returned %v after %v; return the connection's error at once", err, time.Since(start).Round(time.Millisecond))
	}

	// The server's last word: a reply with call id 0, the connection still open.
	const why = "test server: going away"
	addr, _ = fakeServer(t, func(conn net.Conn, r *bufio.Reader) {
		if _, err := ReadFrame(r); err == nil {
			WriteFrame(conn, Frame{Kind: KindReply, CallID: 0, Error: why})
			io.Copy(io.Discard, r)
		}
	})
	start = time.Now()
	_, err := getEmployee(dialClient(t, addr), "Ada Lovelace")
	if err == nil || !strings.Contains(err.Error(), why) || time.Since(start) > 2*time.Second {
		t.Errorf("step 4: the server sent a reply with call id 0 and Error %q, and kept the connection open; the waiting call returned %v after %v. Call id 0 is the server's last word about the whole connection: when readLoop reads one, fail every call with its Error text and close the connection", why, err, time.Since(start).Round(time.Millisecond))
	}
}

func TestStep4_Close(t *testing.T) {
	addr, _ := fakeServer(t, echoServer)
	c := dialClient(t, addr)
	if _, err := getEmployee(c, "warm-up"); err != nil {
		stopIfNotDone(t, 4, err)
		t.Fatalf("step 4: a plain call failed: %v", err)
	}
	waiting := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		waiting <- c.Call(ctx, "Test.Hang", "x", new(Employee))
	}()
	time.Sleep(50 * time.Millisecond) // let the call go out
	err := c.Close()
	stopIfNotDone(t, 4, err)
	if err != nil {
		t.Errorf("step 4: Close returned %v; want nil", err)
	}
	select {
	case err := <-waiting:
		if !errors.Is(err, ErrClientClosed) {
			t.Errorf("step 4: a call waiting during Close returned %v; want ErrClientClosed, so that the caller can tell a Close from a broken connection: Close breaks the connection with ErrClientClosed as the reason", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatalf("step 4: a call waiting during Close was still waiting 2s later; Close must wake every waiting caller")
	}
	if _, err := getEmployee(c, "x"); !errors.Is(err, ErrClientClosed) {
		t.Errorf("step 4: Call after Close returned %v; want ErrClientClosed", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("step 4: a second Close returned %v; want nil: Close may be called more than once", err)
	}

	// Close returns only once readLoop has ended. This connection's Read
	// takes a moment to return after Close, so a Close that does not wait
	// for readLoop returns while readLoop still reads.
	mine, theirs := net.Pipe()
	defer theirs.Close()
	sc := &slowReadConn{Conn: mine, started: make(chan struct{})}
	c = NewClient(sc)
	select {
	case <-sc.started:
	case <-time.After(2 * time.Second):
		t.Errorf("step 4: readLoop did not read from a new Client's connection within 2s; NewClient starts it, and it reads until the connection ends")
	}
	closeClient(t, c)
	if n := sc.reading.Load(); n != 0 {
		t.Errorf("step 4: Close returned while readLoop was still reading from the connection; wait for readLoop to end (<-c.done) before returning, so that no goroutine of the Client outlives Close")
	}
}

// slowReadConn counts the Reads in progress; a Read that fails returns
// 50ms late.
type slowReadConn struct {
	net.Conn
	reading atomic.Int32
	once    sync.Once
	started chan struct{} // closed when the first Read begins
}

func (c *slowReadConn) Read(p []byte) (int, error) {
	c.reading.Add(1)
	c.once.Do(func() { close(c.started) })
	defer c.reading.Add(-1)
	n, err := c.Conn.Read(p)
	if err != nil {
		time.Sleep(50 * time.Millisecond)
	}
	return n, err
}

func TestStep4_CallOnce(t *testing.T) {
	ts := startServer(t, 4, NewEmployeeServer(SampleDirectory()))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got Employee
	err := CallOnce(ctx, ts.addr, GetEmployeeByNameMethod, "Grace Hopper", &got)
	stopIfNotDone(t, 4, err)
	if err != nil {
		ts.fatalf(t, "step 4: CallOnce(GetEmployeeByName, \"Grace Hopper\") returned %v", err)
	}
	if diff := cmp.Diff(mustFind(t, "Grace Hopper"), got); diff != "" {
		t.Errorf("step 4: CallOnce decoded the wrong employee (-want +got):\n%s", diff)
	}
	var serverErr ServerError
	if err := CallOnce(ctx, ts.addr, GetEmployeeByNameMethod, "Nobody", &got); !errors.As(err, &serverErr) {
		t.Errorf("step 4: CallOnce for an unknown employee returned %v (%T); want a ServerError", err, err)
	}

	hang, _ := fakeServer(t, echoServer)
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = CallOnce(short, hang, "Test.Hang", "x", &got)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("step 4: CallOnce to a server that never answers, with a 100ms deadline, returned %v after %v; set the connection's deadline from ctx and return ctx.Err(); the connection's deadline can pass a moment before ctx's own timer fires, so on a timeout wait for <-ctx.Done() first", err, time.Since(start).Round(time.Millisecond))
	}

	// A cancel, with no deadline, must end the call too.
	cancelled, cancelNow := context.WithCancel(context.Background())
	defer cancelNow()
	time.AfterFunc(50*time.Millisecond, cancelNow)
	done := make(chan error, 1)
	go func() { done <- CallOnce(cancelled, hang, "Test.Hang", "x", new(Employee)) }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("step 4: CallOnce cancelled after 50ms returned %v; want context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Errorf("step 4: CallOnce cancelled after 50ms (its context has no deadline) was still waiting 2s later; a deadline on the connection is not enough: make the cancel unblock the read too, e.g. context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })")
	}
}

// BenchmarkCall compares one connection per call with one shared
// connection, for one caller at a time and for many.
func BenchmarkCall(b *testing.B) {
	ts := startServer(b, 4, NewEmployeeServer(SampleDirectory()))
	c := ts.client(b)
	ctx := context.Background()
	persistent := func() error {
		var e Employee
		return c.Call(ctx, GetEmployeeByNameMethod, "Ada Lovelace", &e)
	}
	perCall := func() error {
		var e Employee
		return CallOnce(ctx, ts.addr, GetEmployeeByNameMethod, "Ada Lovelace", &e)
	}
	for _, bc := range []struct {
		name string
		call func() error
	}{{"conn=persistent", persistent}, {"conn=dial-per-call", perCall}} {
		if err := bc.call(); err != nil {
			stopIfNotDone(b, 4, err)
			b.Fatal(err)
		}
		b.Run(bc.name+"/serial", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := bc.call(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := bc.call(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
