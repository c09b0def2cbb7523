package rpcbasics

import (
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain runs the tests under the workshop's watchdog: a test that blocks
// ends the run within seconds, saying where the code waits.
func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// stepFiles says where each step's code lives, for the failure messages.
var stepFiles = map[int]string{1: "codec.go", 2: "frame.go", 3: "server.go", 4: "client.go", 5: "netrpc.go"}

// stopIfNotDone ends the test with one line if err says some step is still
// unfinished: this test's step, or an earlier one it builds on.
func stopIfNotDone(t testing.TB, step int, err error) {
	t.Helper()
	_, n, ok := testkit.NotImplemented(err)
	if !ok {
		return
	}
	if n == step {
		testkit.StopIfNotImplemented(t, err, stepFiles[n])
	}
	t.Fatalf("step %d builds on step %d, which is not finished yet (%v): finish step %d first (go test -run Step%d)", step, n, err, n, n)
}

// unhex turns "0e 0c 41" into bytes; spaces and newlines are for reading.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex in the test itself: %v", err)
	}
	return b
}

// catch runs f and returns what it panicked with, or nil.
func catch(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// allocatedBy returns how many bytes the heap handed out while f ran. The
// counter is the whole process's, so it takes the least of three runs: the
// test watchdog or the runtime may allocate during one of them.
func allocatedBy(f func()) uint64 {
	least := ^uint64(0)
	for range 3 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}

// testServer is a Server listening on a free localhost port.
type testServer struct {
	step int // the step of the test that uses it
	srv  *Server
	addr string
	errc chan error // what Serve returned
}

// startServer serves srv on 127.0.0.1:0 and closes it when the test ends;
// step is the step of the test that calls it.
func startServer(t testing.TB, step int, srv *Server) *testServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("cannot listen on localhost: %v", err)
	}
	ts := &testServer{step: step, srv: srv, addr: l.Addr().String(), errc: make(chan error, 1)}
	go func() {
		err := srv.Serve(l)
		l.Close()
		ts.errc <- err
	}()
	t.Cleanup(func() {
		closed := make(chan error, 1)
		go func() { closed <- srv.Close() }()
		select {
		case err := <-closed:
			if err == nil {
				break
			}
			if !t.Failed() { // else the test has said what is wrong already
				if _, _, ok := testkit.NotImplemented(err); ok {
					err = fmt.Errorf("%w: open server.go and follow step 3 in README.md", err)
				}
				t.Errorf("Server.Close: %v", err)
			}
			return
		case <-time.After(5 * time.Second):
			t.Errorf("step 3: Server.Close did not return within 5s: it should close the listener, wait for the calls in flight, then close the connections")
			return
		}
		if t.Failed() {
			return
		}
		select {
		case err := <-ts.errc:
			if !errors.Is(err, ErrServerClosed) {
				t.Errorf("step 3: after Close, Serve returned %v; want ErrServerClosed", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("step 3: Serve did not return within 5s of Close: Close must close the listener so that Accept fails")
		}
	})
	return ts
}

// fatalf ends the test, but first blames Serve if it gave up early.
func (ts *testServer) fatalf(t testing.TB, format string, args ...any) {
	t.Helper()
	select {
	case err := <-ts.errc:
		ts.errc <- err
		stopIfNotDone(t, ts.step, err)
		t.Fatalf("step 3: Serve returned %v while the test was using the server: it should accept connections until Close", err)
	case <-time.After(100 * time.Millisecond):
	}
	t.Fatalf(format, args...)
}

// dialRaw opens a connection whose reads and writes give up after 5s.
func dialRaw(t testing.TB, ts *testServer) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", ts.addr, 5*time.Second)
	if err != nil {
		ts.fatalf(t, "cannot connect to the server at %s: %v", ts.addr, err)
	}
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	t.Cleanup(func() { conn.Close() })
	return conn
}

// describe prints a frame for a failure message.
func describe(f Frame) string {
	return fmt.Sprintf("{Kind: %d, CallID: %d, Method: %q, Error: %q, Body: % x}", f.Kind, f.CallID, f.Method, f.Error, f.Body)
}
