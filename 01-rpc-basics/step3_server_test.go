package rpcbasics

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// request is the frame that asks for fullName.
func request(t testing.TB, id uint64, method, fullName string) Frame {
	t.Helper()
	body, err := MarshalString(fullName)
	stopIfNotDone(t, 3, err)
	return Frame{Kind: KindRequest, CallID: id, Method: method, Body: body}
}

// roundTrip writes req on conn and reads one reply.
func roundTrip(t testing.TB, ts *testServer, conn net.Conn, r *bufio.Reader, req Frame) Frame {
	t.Helper()
	err := WriteFrame(conn, req)
	stopIfNotDone(t, 3, err)
	if err != nil {
		ts.fatalf(t, "step 3: sending %s: %v", describe(req), err)
	}
	reply, err := ReadFrame(r)
	stopIfNotDone(t, 3, err)
	if err != nil {
		ts.fatalf(t, "step 3: the server sent no reply to %s: %v; serveConn should ReadFrame, dispatch, WriteFrame the reply", describe(req), err)
	}
	if reply.Kind != KindReply || reply.CallID != req.CallID {
		t.Fatalf("step 3: the answer to call %d was %s; want a reply (Kind %d) with the request's CallID", req.CallID, describe(reply), KindReply)
	}
	stopIfNotDone(t, 3, errors.New(reply.Error))
	return reply
}

// wantEmployee checks that reply carries want.
func wantEmployee(t testing.TB, reply Frame, want Employee) {
	t.Helper()
	if reply.Error != "" {
		t.Fatalf("step 3: the server answered with the error %q; want %s's employee record", reply.Error, want.FullName)
	}
	got, err := UnmarshalEmployee(reply.Body)
	if err != nil {
		t.Fatalf("step 3: the reply's body is not an Employee: %v; encode the handler's result with MarshalEmployee", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("step 3: wrong employee in the reply (-want +got):\n%s", diff)
	}
}

func mustFind(t testing.TB, name string) Employee {
	t.Helper()
	e, err := SampleDirectory().GetEmployeeByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestStep3_GetEmployeeByName(t *testing.T) {
	ts := startServer(t, 3, NewEmployeeServer(SampleDirectory()))
	conn := dialRaw(t, ts)
	r := bufio.NewReader(conn)
	for i, name := range []string{"Ada Lovelace", "Grace Hopper", "Zoë Müller"} {
		reply := roundTrip(t, ts, conn, r, request(t, uint64(i+1), GetEmployeeByNameMethod, name))
		wantEmployee(t, reply, mustFind(t, name))
	}
}

// The README's example exchange, byte for byte.
func TestStep3_GoldenExchange(t *testing.T) {
	ts := startServer(t, 3, NewEmployeeServer(SampleDirectory()))
	conn := dialRaw(t, ts)
	if _, err := conn.Write(unhex(t, requestBytes)); err != nil {
		ts.fatalf(t, "sending the request: %v", err)
	}
	want := unhex(t, replyBytes)
	got := make([]byte, len(want))
	if _, err := io.ReadFull(conn, got); err != nil {
		ts.fatalf(t, "step 3: the server did not answer the README's request with %d bytes: %v", len(want), err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step 3: the server's answer to the README's request differs from the README's reply (-want +got):\n%s", diff)
	}
}

func TestStep3_ErrorsTravelBack(t *testing.T) {
	ts := startServer(t, 3, NewEmployeeServer(SampleDirectory()))
	conn := dialRaw(t, ts)
	r := bufio.NewReader(conn)
	tests := []struct {
		name string
		req  Frame
		want string
	}{
		{"unknown method", request(t, 1, "EmployeeService.FireEmployee", "Ada Lovelace"), `unknown method "EmployeeService.FireEmployee"`},
		{"unknown employee", request(t, 2, GetEmployeeByNameMethod, "Nobody"), `employee not found: "Nobody"`},
		{"body that is not a string", Frame{Kind: KindRequest, CallID: 3, Method: GetEmployeeByNameMethod, Body: []byte{0x09}}, "bad request"},
	}
	for _, tt := range tests {
		reply := roundTrip(t, ts, conn, r, tt.req)
		if !strings.Contains(reply.Error, tt.want) {
			t.Errorf("step 3: for a request with an %s the reply's Error is %q; want it to contain %q, so the caller sees what it asked for (fmt.Sprintf with %%q quotes it)", tt.name, reply.Error, tt.want)
		}
	}
	// The connection still works after the errors.
	wantEmployee(t, roundTrip(t, ts, conn, r, request(t, 4, GetEmployeeByNameMethod, "Ada Lovelace")), mustFind(t, "Ada Lovelace"))
}

func TestStep3_ManyCallsOnOneConnection(t *testing.T) {
	ts := startServer(t, 3, NewEmployeeServer(SampleDirectory()))
	conn := dialRaw(t, ts)
	names := []string{"Ada Lovelace", "Grace Hopper", "Alan Turing", "Zoë Müller"}
	const calls = 40
	// Send every request before reading any reply: the server must keep reading.
	for id := uint64(1); id <= calls; id++ {
		if err := WriteFrame(conn, request(t, id, GetEmployeeByNameMethod, names[id%4])); err != nil {
			ts.fatalf(t, "step 3: sending call %d: %v", id, err)
		}
	}
	r := bufio.NewReader(conn)
	seen := make(map[uint64]bool)
	for range calls {
		reply, err := ReadFrame(r)
		if err != nil {
			ts.fatalf(t, "step 3: after %d of %d replies on one connection: %v; keep reading frames until the client hangs up", len(seen), calls, err)
		}
		if reply.CallID < 1 || reply.CallID > calls || seen[reply.CallID] {
			t.Fatalf("step 3: unexpected or repeated reply %s; each reply carries its request's CallID", describe(reply))
		}
		seen[reply.CallID] = true
		wantEmployee(t, reply, mustFind(t, names[reply.CallID%4]))
	}

	// Two calls on one connection that wait for each other: both finish only
	// if the server runs each call in its own goroutine. One after another,
	// the first waits in vain and the second is not even read.
	var arrived sync.WaitGroup
	arrived.Add(2)
	both := make(chan struct{})
	go func() { arrived.Wait(); close(both) }()
	ts.srv.Register("Test.Pair", func(body []byte) ([]byte, error) {
		arrived.Done()
		select {
		case <-both:
			return body, nil
		case <-time.After(2 * time.Second):
			return nil, errors.New("the other call on this connection never started")
		}
	})
	for id := uint64(1); id <= 2; id++ {
		if err := WriteFrame(conn, Frame{Kind: KindRequest, CallID: id, Method: "Test.Pair", Body: []byte{byte(id)}}); err != nil {
			ts.fatalf(t, "step 3: sending call %d: %v", id, err)
		}
	}
	for range 2 {
		reply, err := ReadFrame(r)
		if err != nil {
			ts.fatalf(t, "step 3: two calls on one connection: %v", err)
		}
		if reply.Error != "" {
			t.Fatalf("step 3: two calls on one connection that wait for each other: call %d got %q; run each call in its own goroutine (go ...) so that a slow call does not hold up the calls behind it", reply.CallID, reply.Error)
		}
	}
}

func TestStep3_ManyConnectionsAtOnce(t *testing.T) {
	ts := startServer(t, 3, NewEmployeeServer(SampleDirectory()))
	// A handler that waits for 8 callers proves that the connections are
	// served at the same time, not one after another.
	const clients = 8
	var arrived sync.WaitGroup
	arrived.Add(clients)
	allHere := make(chan struct{})
	go func() { arrived.Wait(); close(allHere) }()
	ts.srv.Register("Test.Meet", func(body []byte) ([]byte, error) {
		arrived.Done()
		select {
		case <-allHere:
			return body, nil
		case <-time.After(3 * time.Second):
			return nil, errors.New("the other callers never arrived")
		}
	})

	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.DialTimeout("tcp", ts.addr, 5*time.Second)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			if err := WriteFrame(conn, Frame{Kind: KindRequest, CallID: 1, Method: "Test.Meet", Body: []byte{byte(i)}}); err != nil {
				errs <- err
				return
			}
			reply, err := ReadFrame(conn)
			switch {
			case err != nil:
				errs <- err
			case reply.Error != "":
				errs <- errors.New(reply.Error)
			case len(reply.Body) != 1 || reply.Body[0] != byte(i):
				errs <- fmt.Errorf("client %d got the reply %s, meant for someone else", i, describe(reply))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		stopIfNotDone(t, 3, err)
		ts.fatalf(t, "step 3: %d clients calling at once: %v; serve each connection in its own goroutine", clients, err)
	}
}

// checkStillServing makes a fresh connection and a good call.
func checkStillServing(t *testing.T, ts *testServer, after string) {
	t.Helper()
	conn := dialRaw(t, ts)
	defer conn.Close()
	req := request(t, 1, GetEmployeeByNameMethod, "Ada Lovelace")
	if err := WriteFrame(conn, req); err != nil {
		ts.fatalf(t, "step 3: after %s, a new client could not send: %v; one bad connection must not stop the server", after, err)
	}
	reply, err := ReadFrame(conn)
	if err != nil {
		ts.fatalf(t, "step 3: after %s, a new client got no answer: %v; one bad connection must not stop the server", after, err)
	}
	wantEmployee(t, reply, mustFind(t, "Ada Lovelace"))
}

// wantErrorOrHangUp reads what the server sends after bad input: a reply
// with CallID 0 and an error, then the end of the connection; or, unless
// mustReply, just the end.
func wantErrorOrHangUp(t *testing.T, ts *testServer, conn net.Conn, what string, mustReply bool) {
	t.Helper()
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	r := bufio.NewReader(conn)
	reply, err := ReadFrame(r)
	if err == nil {
		if reply.Kind != KindReply || reply.CallID != 0 || reply.Error == "" {
			t.Fatalf("step 3: after %s the server sent %s; want a reply with CallID 0 and an error saying why, then a closed connection", what, describe(reply))
		}
		_, err = ReadFrame(r)
	} else if mustReply && !isTimeout(err) {
		t.Fatalf("step 3: after %s the server hung up without a word (the client read %v); first send one last reply with CallID 0 whose Error is the ReadFrame error's text, then close the connection", what, err)
	}
	if isTimeout(err) {
		ts.fatalf(t, "step 3: after %s the server kept the connection open for 2s; when ReadFrame fails, reply with CallID 0 if you can, then close the connection", what)
	}
}

func TestStep3_SurvivesBadInput(t *testing.T) {
	slowStarted := make(chan struct{}, 1)
	srv := NewEmployeeServer(SampleDirectory())
	srv.Register("Test.Slow", func(body []byte) ([]byte, error) {
		slowStarted <- struct{}{}
		time.Sleep(50 * time.Millisecond)
		return body, nil
	})
	ts := startServer(t, 3, srv)
	checkStillServing(t, ts, "nothing at all")

	header := func(size uint32) []byte { return binary.BigEndian.AppendUint32(nil, size) }
	tests := []struct {
		name  string
		bytes []byte
	}{
		{"garbage bytes", []byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")},
		{"a huge size", header(0xffffffff)},
		{"a size just above MaxFrameSize", header(MaxFrameSize + 1)},
		{"a frame too short for its header", append(header(2), 1, 2)},
		{"a reply sent to the server", unhex(t, replyBytes)},
		{"a frame of unknown kind", unhex(t, "00 00 00 0b 09 00 00 00 00 00 00 00 01 00 00")},
	}
	for _, tt := range tests {
		ok := t.Run(tt.name, func(t *testing.T) {
			conn := dialRaw(t, ts)
			if _, err := conn.Write(tt.bytes); err != nil {
				t.Fatalf("sending %s: %v", tt.name, err)
			}
			wantErrorOrHangUp(t, ts, conn, tt.name, true)
			checkStillServing(t, ts, tt.name)
		})
		if !ok {
			return // one failure is enough to start fixing; the rest would say the same
		}
	}

	t.Run("a truncated frame", func(t *testing.T) {
		conn := dialRaw(t, ts)
		golden := unhex(t, requestBytes)
		conn.Write(golden[:20])
		conn.(*net.TCPConn).CloseWrite() // the client stops sending mid-frame
		wantErrorOrHangUp(t, ts, conn, "a truncated frame", false)
		checkStillServing(t, ts, "a truncated frame")
	})

	t.Run("a connection closed mid-call", func(t *testing.T) {
		conn := dialRaw(t, ts)
		if err := WriteFrame(conn, Frame{Kind: KindRequest, CallID: 1, Method: "Test.Slow"}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-slowStarted:
		case <-time.After(5 * time.Second):
			ts.fatalf(t, "step 3: the handler for Test.Slow was never called")
		}
		conn.Close() // gone before the reply
		checkStillServing(t, ts, "a client that hung up mid-call")
	})
}

func TestStep3_CloseWaitsForCallsInFlight(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	srv := NewEmployeeServer(SampleDirectory())
	srv.Register("Test.Block", func(body []byte) ([]byte, error) {
		close(started)
		select {
		case <-release:
			return []byte("finished"), nil
		case <-time.After(5 * time.Second):
			return nil, errors.New("never released")
		}
	})
	ts := startServer(t, 3, srv)
	conn := dialRaw(t, ts)
	if err := WriteFrame(conn, Frame{Kind: KindRequest, CallID: 1, Method: "Test.Block"}); err != nil {
		ts.fatalf(t, "sending: %v", err)
	}
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		ts.fatalf(t, "step 3: the handler for Test.Block was never called")
	}

	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		stopIfNotDone(t, 3, err)
		t.Fatalf("step 3: Close returned (%v) while a call was still running; wait for the calls in flight (a sync.WaitGroup) before closing connections", err)
	case <-time.After(100 * time.Millisecond):
	}

	// A new client cannot connect any more, or is hung up on at once.
	if late, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
		late.SetDeadline(time.Now().Add(2 * time.Second))
		WriteFrame(late, request(t, 1, GetEmployeeByNameMethod, "Ada Lovelace"))
		if reply, err := ReadFrame(late); err == nil && reply.Error == "" {
			t.Errorf("step 3: a client that connected after Close was served (%s); Close must close the listener first", describe(reply))
		}
		late.Close()
	}

	close(release)
	reply, err := ReadFrame(conn)
	if err != nil {
		t.Fatalf("step 3: the call in flight during Close got no reply: %v; let it finish and send its reply before closing the connection", err)
	}
	if string(reply.Body) != "finished" {
		t.Errorf("step 3: the call in flight during Close got %s; want its body \"finished\"", describe(reply))
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatalf("step 3: Close did not return within 5s after the last call finished")
	}
	if _, err := ReadFrame(conn); err == nil || isTimeout(err) {
		t.Errorf("step 3: after Close the connection is still open (%v); Close closes every connection once the calls are done", err)
	}
	select {
	case err := <-ts.errc:
		ts.errc <- err
		if !errors.Is(err, ErrServerClosed) {
			t.Errorf("step 3: after Close, Serve returned %v; want ErrServerClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("step 3: Serve did not return within 5s of Close")
	}
}

// isTimeout reports whether err is a read or write that hit its deadline.
func isTimeout(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}
