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

// Serve accepts connections on l and serves each in its own goroutine, until
// [Server.Close]. Serve may be called more than once, on several listeners at
// the same time; Close stops them all and closes their listeners.
//
// Serve always returns a non-nil error: [ErrServerClosed] once Close has
// begun (also when Close came first: then Serve closes l and returns at
// once), or else the error that stopped l.Accept. A connection accepted while
// the server is closing is closed unserved.
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

// serveConn serves the requests that arrive on conn until the client hangs up
// or breaks the format.
//
//   - Calls run concurrently: a slow call does not hold up the requests after
//     it on the same connection. Replies go out as the calls finish, in any
//     order, each with its request's call id.
//   - Each reply is written whole, never interleaved with another, and a
//     client that stops reading blocks a reply for at most writeTimeout.
//   - After a frame it cannot read ([ErrFrameTooLarge], [ErrBadFrame]) or one
//     that is not a request, it no longer knows where the next frame starts:
//     it sends one last reply with call id 0 (the connection's) whose Error
//     says why, and hangs up. Any other read error (io.EOF: the client hung
//     up; a cut frame) just ends the connection.
//   - A request that arrives once the server is closing is answered with an
//     error reply and not called.
//   - It returns only after every call it started has sent its reply. Then
//     conn is closed and forgotten, and [Server.Close] no longer waits for it.
func (s *Server) serveConn(conn net.Conn) {
	// step 3: serve conn's requests here; the lines below are the cleanup.
	conn.Close()
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	s.connsDone.Done()
}

// dispatch calls the handler registered for req.Method with req.Body and
// returns the reply to send: a [KindReply] frame with req's call id, holding
// the handler's result as its Body, or its error's text as its Error. A
// method that is not registered is an error reply too, whose Error names it:
// unknown method "EmployeeService.FireEmployee". dispatch is called from many
// goroutines at once, also while [Server.Register] adds methods.
func (s *Server) dispatch(req Frame) Frame {
	return Frame{Kind: KindReply, CallID: req.CallID, Error: "step 3: dispatch is not implemented yet"}
}

// Close shuts the server down gracefully. Every Serve stops accepting and
// returns [ErrServerClosed]; every call already started finishes and sends
// its reply; only then are the connections closed. Close returns once the
// goroutine of every connection has ended. Requests that arrive after Close
// began are refused with an error reply. Close may be called more than once;
// it returns nil.
func (s *Server) Close() error {
	return errors.New("step 3: Close is not implemented yet")
}
