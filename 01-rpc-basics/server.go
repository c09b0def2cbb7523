package rpcbasics

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// Handler serves one method: the request's body in, the reply's body out.
// An error travels back to the caller as the reply's error text.
type Handler func(body []byte) ([]byte, error)

// ErrServerClosed is what Serve returns after Close.
var ErrServerClosed = errors.New("rpcbasics: server closed")

// writeTimeout bounds each reply write, so a client that stops reading
// cannot hold a call (and Close) forever.
const writeTimeout = 10 * time.Second

// Server reads requests from its connections, finds each method in its
// registry, calls it, and writes the reply (step 3).
type Server struct {
	mu        sync.Mutex
	handlers  map[string]Handler // the registry: method name -> handler
	closed    bool
	listeners map[net.Listener]struct{}
	conns     map[net.Conn]struct{}
	calls     sync.WaitGroup // calls in flight, on every connection
	connsDone sync.WaitGroup // one per connection goroutine
}

// NewServer returns a server with an empty registry.
func NewServer() *Server {
	return &Server{
		handlers:  make(map[string]Handler),
		listeners: make(map[net.Listener]struct{}),
		conns:     make(map[net.Conn]struct{}),
	}
}

// NewEmployeeServer returns a server with EmployeeService.GetEmployeeByName registered.
func NewEmployeeServer(dir *Directory) *Server {
	s := NewServer()
	s.Register(GetEmployeeByNameMethod, GetEmployeeByNameHandler(dir))
	return s
}

// Register adds a method to the registry. A handler that panics answers
// its call with an error instead of taking the whole server down.
func (s *Server) Register(method string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[method] = func(body []byte) (reply []byte, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("internal error: %s panicked: %v", method, p)
			}
		}()
		return h(body)
	}
}

// Serve accepts connections on l and serves each in its own goroutine,
// until Close. It returns ErrServerClosed after Close, or the error that
// stopped Accept.
//
// Step 3:
//  1. Under s.mu: if the server is closed, close l and return ErrServerClosed;
//     else remember l in s.listeners, so that Close can close it.
//  2. Loop: conn, err := l.Accept(). On an error, forget l and return
//     ErrServerClosed if s.closed, else err.
//  3. trackConn(conn) (false: the server is closing; close conn and return
//     ErrServerClosed), then go s.serveConn(conn).
func (s *Server) Serve(l net.Listener) error {
	return errors.New("step 3: Serve is not implemented yet")
}

// trackConn records a new connection, unless the server is closing.
func (s *Server) trackConn(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[conn] = struct{}{}
	s.connsDone.Add(1)
	return true
}

// startCall counts a call in flight, unless the server is closing.
func (s *Server) startCall() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.calls.Add(1)
	return true
}

// serveConn reads frames until the connection ends or breaks the format.
//
// Step 3:
//  1. When it returns: wait for this connection's calls, close conn, delete
//     it from s.conns (under s.mu), s.connsDone.Done().
//  2. A reply function that writes one frame under a mutex (calls answer
//     from several goroutines), with conn.SetWriteDeadline(now+writeTimeout).
//  3. Loop on ReadFrame(bufio.NewReader(conn)). On ErrFrameTooLarge or
//     ErrBadFrame, reply with CallID 0 and the error's text, then return;
//     on any other error (io.EOF: the client hung up), just return.
//  4. A frame that is not a request: reply with CallID 0, return.
//  5. startCall() (false: the server is closing; reply with an error, return),
//     then run the call in its own goroutine: reply(s.dispatch(req)), and
//     s.calls.Done() when it is sent.
func (s *Server) serveConn(conn net.Conn) {
	conn.Close() // step 3: replace with the loop above
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	s.connsDone.Done()
}

// dispatch finds the request's method in the registry, calls it and turns
// its result or its error into a reply.
//
// Step 3: look req.Method up in s.handlers (under s.mu). Not there: a reply
// whose Error says "unknown method" and the method's name. There: call the
// handler with req.Body; its error's text goes in Error, its result in Body.
// The reply is KindReply with the request's CallID.
func (s *Server) dispatch(req Frame) Frame {
	return Frame{Kind: KindReply, CallID: req.CallID, Error: "step 3: dispatch is not implemented yet"}
}

// Close stops accepting connections, waits for the calls in flight to
// finish and send their replies, then closes every connection.
//
// Step 3: set s.closed and close every listener (under s.mu); s.calls.Wait();
// close every connection (under s.mu); s.connsDone.Wait().
func (s *Server) Close() error {
	return errors.New("step 3: Close is not implemented yet")
}
