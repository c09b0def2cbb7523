package rpcbasics

import (
	"context"
	"errors"
	"net"
	"net/rpc"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// startNetRPC serves the employee service through net/rpc on a free port:
// with your codec (ServeNetRPC) or, if gob is true, with net/rpc's own gob.
func startNetRPC(t testing.TB, gob bool) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("cannot listen on localhost: %v", err)
	}
	srv := NewNetRPCServer(SampleDirectory())
	if gob {
		go func() {
			for {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				go srv.ServeConn(conn)
			}
		}()
	} else {
		go ServeNetRPC(l, srv)
	}
	t.Cleanup(func() { l.Close() })
	return l.Addr().String()
}

// errNoReply is what netRPCCall returns when a call gets no answer. net/rpc
// logs nothing when a codec fails, so it names both places to look.
var errNoReply = errors.New("no reply within 5s: does ReadResponseHeader read a frame and set Seq? (r.Seq = CallID-1) And does the server's WriteResponse write one, without encoding the dummy body on an error?")

// netRPCCall makes one net/rpc call and gives up after 5s.
func netRPCCall(c *rpc.Client, method string, args any, reply any) error {
	call := c.Go(method, args, reply, make(chan *rpc.Call, 1))
	select {
	case <-call.Done:
		return call.Error
	case <-time.After(5 * time.Second):
		return errNoReply
	}
}

// stopIfCodecsNotDone ends the test with one line while the codecs are
// stubs: on a connection that is already closed, a finished codec returns
// io.EOF, a stub its "step 5" error.
func stopIfCodecsNotDone(t testing.TB) {
	t.Helper()
	conn, other := net.Pipe()
	other.Close()
	defer conn.Close()
	stopIfNotDone(t, 5, NewServerCodec(conn).ReadRequestHeader(new(rpc.Request)))
	stopIfNotDone(t, 5, NewClientCodec(conn).ReadResponseHeader(new(rpc.Response)))
}

// emptyErrAdvice explains an error with no text: most often a reply with
// call id 0, which the client codec turned into an error.
func emptyErrAdvice(err error) string {
	if err.Error() != "" {
		return ""
	}
	return "(an empty error); it usually comes from a reply with call id 0: net/rpc numbers its calls from 0, so WriteRequest sends CallID r.Seq+1 and ReadResponseHeader sets r.Seq = CallID-1"
}

// checkSeqMapping checks the client codec's numbering on a pipe: net/rpc's
// first call has Seq 0, which must go out as call id 1 and come back as Seq 0.
func checkSeqMapping(t testing.TB) {
	t.Helper()
	mine, theirs := net.Pipe()
	defer theirs.Close()
	codec := NewClientCodec(mine)
	defer codec.Close()
	theirs.SetDeadline(time.Now().Add(5 * time.Second))
	go codec.WriteRequest(&rpc.Request{ServiceMethod: GetEmployeeByNameMethod, Seq: 0}, "Ada Lovelace")
	req, err := ReadFrame(theirs)
	if err != nil {
		t.Fatalf("step 5: WriteRequest for net/rpc's first call (Seq 0) wrote no frame that ReadFrame reads: %v", err)
	}
	if req.CallID != 1 {
		t.Fatalf("step 5: WriteRequest sent net/rpc's first call (Seq 0) with call id %d; net/rpc numbers its calls from 0, but call id 0 names the whole connection in our frames: send CallID r.Seq+1", req.CallID)
	}
	go WriteFrame(theirs, Frame{Kind: KindReply, CallID: 1, Body: req.Body})
	var resp rpc.Response
	if err := codec.ReadResponseHeader(&resp); err != nil || resp.Seq != 0 {
		t.Fatalf("step 5: ReadResponseHeader for a reply with call id 1 gave Seq %d, error %v; want Seq 0, no error: undo WriteRequest's +1 (r.Seq = CallID-1)", resp.Seq, err)
	}
}

func dialNetRPC(t testing.TB, addr string) *rpc.Client {
	t.Helper()
	c, err := DialNetRPC(addr)
	if err != nil {
		t.Fatalf("DialNetRPC(%s): %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestStep5_NetRPCWithYourCodec(t *testing.T) {
	stopIfCodecsNotDone(t)
	checkSeqMapping(t)
	c := dialNetRPC(t, startNetRPC(t, false))
	var got Employee
	err := netRPCCall(c, GetEmployeeByNameMethod, "Ada Lovelace", &got)
	stopIfNotDone(t, 5, err)
	if err != nil {
		t.Fatalf("step 5: a net/rpc call through your codecs returned %v%s", err, emptyErrAdvice(err))
	}
	if diff := cmp.Diff(mustFind(t, "Ada Lovelace"), got); diff != "" {
		t.Errorf("step 5: net/rpc through your codecs decoded the wrong employee (-want +got):\n%s", diff)
	}

	err = netRPCCall(c, GetEmployeeByNameMethod, "Nobody", &got)
	var serverErr rpc.ServerError
	if !errors.As(err, &serverErr) || !strings.Contains(err.Error(), "employee not found") {
		t.Errorf("step 5: an unknown employee through net/rpc returned %v (%T); want an rpc.ServerError with \"employee not found\": carry Response.Error in the reply frame's Error", err, err)
	}
	err = netRPCCall(c, "EmployeeService.Promote", "Ada Lovelace", &got)
	if !errors.As(err, &serverErr) {
		t.Errorf("step 5: an unknown method through net/rpc returned %v (%T); want net/rpc's own rpc.ServerError", err, err)
	}
	if err := netRPCCall(c, GetEmployeeByNameMethod, "Grace Hopper", &got); err != nil || got.FullName != "Grace Hopper" {
		t.Errorf("step 5: after two errors the next call returned %+v, %v; want Grace Hopper", got, err)
	}
}

func TestStep5_ManyNetRPCCallers(t *testing.T) {
	stopIfCodecsNotDone(t)
	c := dialNetRPC(t, startNetRPC(t, false))
	names := []string{"Ada Lovelace", "Grace Hopper", "Alan Turing", "Zoë Müller"}
	calls := make([]*rpc.Call, 40)
	for i := range calls {
		calls[i] = c.Go(GetEmployeeByNameMethod, names[i%4], new(Employee), make(chan *rpc.Call, 1))
	}
	deadline := time.After(5 * time.Second)
	for i, call := range calls {
		select {
		case <-call.Done:
		case <-deadline:
			t.Fatalf("step 5: 40 calls at once through net/rpc: call %d got no reply within 5s", i)
		}
		stopIfNotDone(t, 5, call.Error)
		if call.Error != nil {
			t.Fatalf("step 5: call %d of 40 failed: %v%s", i, call.Error, emptyErrAdvice(call.Error))
		}
		if got := call.Reply.(*Employee).FullName; got != names[i%4] {
			t.Fatalf("step 5: call %d asked for %q and got %q: keep Seq from the header for the body", i, names[i%4], got)
		}
	}
}

// Your codec speaks the same frames as steps 2-4, so the hand-rolled and the
// net/rpc halves can talk to each other.
func TestStep5_YourClientCallsNetRPC(t *testing.T) {
	stopIfCodecsNotDone(t)
	addr := startNetRPC(t, false)
	c := dialClient(t, addr)
	got, err := getEmployee(c, "Alan Turing")
	stopIfNotDone(t, 5, err)
	if err != nil {
		t.Fatalf("step 5: your Client calling a net/rpc server that uses your ServerCodec: %v", err)
	}
	if diff := cmp.Diff(mustFind(t, "Alan Turing"), got); diff != "" {
		t.Errorf("step 5: wrong employee (-want +got):\n%s", diff)
	}
}

func TestStep5_NetRPCCallsYourServer(t *testing.T) {
	stopIfCodecsNotDone(t)
	checkSeqMapping(t)
	ts := startServer(t, 5, NewEmployeeServer(SampleDirectory()))
	c, err := DialNetRPC(ts.addr)
	if err != nil {
		ts.fatalf(t, "step 5: DialNetRPC(%s): %v", ts.addr, err)
	}
	defer c.Close()
	var got Employee
	err = netRPCCall(c, GetEmployeeByNameMethod, "Zoë Müller", &got)
	stopIfNotDone(t, 5, err)
	if err != nil {
		t.Fatalf("step 5: a net/rpc client with your ClientCodec calling your step 3 Server: %v%s", err, emptyErrAdvice(err))
	}
	if diff := cmp.Diff(mustFind(t, "Zoë Müller"), got); diff != "" {
		t.Errorf("step 5: wrong employee (-want +got):\n%s", diff)
	}
	err = netRPCCall(c, GetEmployeeByNameMethod, "Nobody", &got)
	if err == nil || !strings.Contains(err.Error(), "employee not found") {
		t.Errorf("step 5: an unknown employee returned %v; want \"employee not found\" from the reply frame's Error", err)
	}
}

// BenchmarkRPC compares your client and server with net/rpc and its
// default gob codec, and with net/rpc and your codec, on one persistent
// connection.
func BenchmarkRPC(b *testing.B) {
	ts := startServer(b, 5, NewEmployeeServer(SampleDirectory()))
	mine := ts.client(b)
	gobClient, err := rpc.Dial("tcp", startNetRPC(b, true))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { gobClient.Close() })
	codecClient := dialNetRPC(b, startNetRPC(b, false))

	ctx := context.Background()
	stacks := []struct {
		name string
		call func() error
	}{
		{"stack=handrolled", func() error {
			var e Employee
			return mine.Call(ctx, GetEmployeeByNameMethod, "Ada Lovelace", &e)
		}},
		{"stack=netrpc-gob", func() error {
			var e Employee
			return gobClient.Call(GetEmployeeByNameMethod, "Ada Lovelace", &e)
		}},
		{"stack=netrpc-yourcodec", func() error {
			var e Employee
			return codecClient.Call(GetEmployeeByNameMethod, "Ada Lovelace", &e)
		}},
	}
	for _, s := range stacks {
		if err := s.call(); err != nil {
			stopIfNotDone(b, 5, err)
			b.Fatalf("%s: %v", s.name, err)
		}
		b.Run(s.name+"/serial", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := s.call(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(s.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.call(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
