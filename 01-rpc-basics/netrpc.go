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

// ReadRequestHeader reads the next frame, which must be a request, and fills
// r from it: r.ServiceMethod is the frame's method and r.Seq its call id. The
// frame's body waits in c for the ReadRequestBody that net/rpc calls next.
func (c *serverCodec) ReadRequestHeader(r *rpc.Request) error {
	return errors.New("step 5: ReadRequestHeader is not implemented yet")
}

// ReadRequestBody decodes the body of the request just read into body, with
// [Unmarshal]. A nil body means net/rpc wants it skipped (it cannot serve the
// request). Either way the body is used once: the next header starts afresh.
func (c *serverCodec) ReadRequestBody(body any) error {
	return errors.New("step 5: ReadRequestBody is not implemented yet")
}

// WriteResponse writes r as one reply frame with call id r.Seq. A reply with
// an error carries r.Error and no body: body is then a placeholder that must
// not be encoded. Otherwise body is encoded with [Marshal].
func (c *serverCodec) WriteResponse(r *rpc.Response, body any) error {
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

// WriteRequest writes r as one request frame: the method r.ServiceMethod,
// the body encoded with [Marshal], and the call id r.Seq+1 (see clientCodec).
func (c *clientCodec) WriteRequest(r *rpc.Request, body any) error {
	return errors.New("step 5: WriteRequest is not implemented yet")
}

// ReadResponseHeader reads the next frame, which must be a reply, and fills r
// from it: r.Seq from its call id (undoing the +1 of WriteRequest) and
// r.Error from its error text. A reply with call id 0 is the server hanging
// up on the whole connection: return its text as the error, so that every
// call fails with the server's reason.
func (c *clientCodec) ReadResponseHeader(r *rpc.Response) error {
	return errors.New("step 5: ReadResponseHeader is not implemented yet")
}

// ReadResponseBody decodes the body of the reply just read into body, as
// ReadRequestBody does: a nil body is skipped, and each body is used once.
func (c *clientCodec) ReadResponseBody(body any) error {
	return errors.New("step 5: ReadResponseBody is not implemented yet")
}

func (c *clientCodec) Close() error { return c.conn.Close() }
