package rpcbasics

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/rpc"
)

// Step 5: the standard library's net/rpc does the server's registry (by
// reflection on EmployeeService), the call ids and the client's concurrency.
// A codec is all it needs to speak our frames: the same bytes on the wire as
// steps 2 to 4, so your Client can call a net/rpc server and back.

// NewNetRPCServer returns a net/rpc server with EmployeeService registered.
func NewNetRPCServer(dir *Directory) *rpc.Server {
	srv := rpc.NewServer()
	if err := srv.RegisterName("EmployeeService", &EmployeeService{Dir: dir}); err != nil {
		panic(err) // EmployeeService's methods are fixed: this cannot fail
	}
	return srv
}

// ServeNetRPC serves each connection accepted on l with srv through your
// codec, until l is closed.
func ServeNetRPC(l net.Listener, srv *rpc.Server) error {
	for {
		conn, err := l.Accept()
		if err != nil {
			return err
		}
		go srv.ServeCodec(NewServerCodec(conn))
	}
}

// DialNetRPC connects to addr and returns a net/rpc client that uses your codec.
func DialNetRPC(addr string) (*rpc.Client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return rpc.NewClientWithCodec(NewClientCodec(conn)), nil
}

// serverCodec reads requests and writes replies as frames. net/rpc reads
// from one goroutine and holds a lock around WriteResponse.
type serverCodec struct {
	conn io.ReadWriteCloser
	r    *bufio.Reader
	body []byte // the body of the request whose header was just read
}

// NewServerCodec returns an rpc.ServerCodec that speaks this chapter's frames.
func NewServerCodec(conn io.ReadWriteCloser) rpc.ServerCodec {
	return &serverCodec{conn: conn, r: bufio.NewReader(conn)}
}

func (c *serverCodec) ReadRequestHeader(r *rpc.Request) error {
	// Step 5: ReadFrame(c.r); it must be a request; copy its Method and CallID
	// into r.ServiceMethod and r.Seq; keep its Body in c.body for ReadRequestBody.
	return errors.New("step 5: ReadRequestHeader is not implemented yet")
}

func (c *serverCodec) ReadRequestBody(body any) error {
	// Step 5: Unmarshal c.body into body (a *string here); body is nil when
	// net/rpc wants the body skipped. Forget c.body either way.
	return errors.New("step 5: ReadRequestBody is not implemented yet")
}

func (c *serverCodec) WriteResponse(r *rpc.Response, body any) error {
	// Step 5: a reply frame with CallID r.Seq and Error r.Error; Marshal(body)
	// into its Body only when r.Error is "" (on an error, body is a dummy).
	return errors.New("step 5: WriteResponse is not implemented yet")
}

func (c *serverCodec) Close() error { return c.conn.Close() }

// clientCodec writes requests and reads replies as frames. net/rpc holds a
// lock around WriteRequest and reads from one goroutine. It numbers
// its calls from 0; our frames keep 0 for the connection, so the codec adds 1.
type clientCodec struct {
	conn io.ReadWriteCloser
	r    *bufio.Reader
	body []byte // the body of the reply whose header was just read
}

// NewClientCodec returns an rpc.ClientCodec that speaks this chapter's frames.
func NewClientCodec(conn io.ReadWriteCloser) rpc.ClientCodec {
	return &clientCodec{conn: conn, r: bufio.NewReader(conn)}
}

func (c *clientCodec) WriteRequest(r *rpc.Request, body any) error {
	// Step 5: a request frame with Method r.ServiceMethod, CallID r.Seq+1
	// and Body Marshal(body).
	return errors.New("step 5: WriteRequest is not implemented yet")
}

func (c *clientCodec) ReadResponseHeader(r *rpc.Response) error {
	// Step 5: ReadFrame(c.r); it must be a reply; CallID 0 means the server
	// hung up on us (return its Error as an error); else r.Seq = CallID-1,
	// r.Error = its Error, and keep its Body in c.body.
	return errors.New("step 5: ReadResponseHeader is not implemented yet")
}

func (c *clientCodec) ReadResponseBody(body any) error {
	// Step 5: as ReadRequestBody: Unmarshal c.body into body unless body is nil.
	return errors.New("step 5: ReadResponseBody is not implemented yet")
}

func (c *clientCodec) Close() error { return c.conn.Close() }
