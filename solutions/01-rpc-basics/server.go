package rpcbasics

import (
	"bufio"
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
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listeners[l] = struct{}{}
	s.mu.Unlock()

	for {
		conn, err := l.Accept()
		if err != nil {
			s.mu.Lock()
			defer s.mu.Unlock()
			delete(s.listeners, l)
			if s.closed {
				return ErrServerClosed
			}
			return err
		}
		if !s.trackConn(conn) {
			conn.Close()
			return ErrServerClosed
		}
		go s.serveConn(conn)
	}
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
	var inFlight sync.WaitGroup // this connection's calls
	defer func() {
		inFlight.Wait()
		conn.Close()
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
		s.connsDone.Done()
	}()

	var writeMu sync.Mutex
	reply := func(f Frame) {
		writeMu.Lock()
		defer writeMu.Unlock()
		conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		err := WriteFrame(conn, f)
		if errors.Is(err, ErrFrameTooLarge) { // nothing was written: say why instead
			WriteFrame(conn, Frame{Kind: KindReply, CallID: f.CallID, Error: err.Error()})
		}
	}

	r := bufio.NewReader(conn)
	for {
		req, err := ReadFrame(r)
		if err != nil {
			// After a frame we cannot read, we no longer know where the next
			// one starts: say why (call id 0 = the connection) and hang up.
			if errors.Is(err, ErrFrameTooLarge) || errors.Is(err, ErrBadFrame) {
				reply(Frame{Kind: KindReply, Error: err.Error()})
			}
			return
		}
		if req.Kind != KindRequest {
			reply(Frame{Kind: KindReply, Error: "bad frame: a client sends requests, not replies"})
			return
		}
		if !s.startCall() {
			reply(Frame{Kind: KindReply, CallID: req.CallID, Error: "server is shutting down"})
			return
		}
		inFlight.Add(1)
		go func() {
			defer s.calls.Done()
			defer inFlight.Done()
			reply(s.dispatch(req))
		}()
	}
}

// dispatch calls the handler registered for req.Method with req.Body and
// returns the reply to send: a [KindReply] frame with req's call id, holding
// the handler's result as its Body, or its error's text as its Error. A
// method that is not registered is an error reply too, whose Error names it:
// unknown method "EmployeeService.FireEmployee". dispatch is called from many
// goroutines at once, also while [Server.Register] adds methods.
func (s *Server) dispatch(req Frame) Frame {
	reply := Frame{Kind: KindReply, CallID: req.CallID}
	s.mu.Lock()
	h, ok := s.handlers[req.Method]
	s.mu.Unlock()
	if !ok {
		reply.Error = fmt.Sprintf("unknown method %q", req.Method)
		return reply
	}
	body, err := h(req.Body)
	if err != nil {
		reply.Error = err.Error()
		return reply
	}
	reply.Body = body
	return reply
}

// Close shuts the server down gracefully. Every Serve stops accepting and
// returns [ErrServerClosed]; every call already started finishes and sends
// its reply; only then are the connections closed. Close returns once the
// goroutine of every connection has ended. Requests that arrive after Close
// began are refused with an error reply. Close may be called more than once;
// it returns nil.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for l := range s.listeners {
		l.Close()
	}
	s.mu.Unlock()

	s.calls.Wait()

	s.mu.Lock()
	for conn := range s.conns {
		conn.Close()
	}
	s.mu.Unlock()
	s.connsDone.Wait()
	return nil
}
