package rpcbasics

import (
	"context"
	"errors"
	"net"
	"sync"
)

// ErrClientClosed is what Call returns after Close.
var ErrClientClosed = errors.New("rpcbasics: client closed")

// ServerError is an error the server sent back in a reply, such as
// "employee not found" or "unknown method".
type ServerError string

func (e ServerError) Error() string { return string(e) }

// Client calls methods over one connection that many goroutines share
// (step 4). Each call gets an id; one goroutine reads the replies and hands
// each to the caller waiting for its id.
type Client struct {
	conn    net.Conn
	writeMu sync.Mutex // one frame at a time on the connection

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan Frame // call id -> the waiting caller
	err     error                 // why the connection is unusable; nil while it works

	done chan struct{} // closed when readLoop returns
}

// Dial connects to addr and returns a Client that shares the connection.
func Dial(ctx context.Context, addr string) (*Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return NewClient(conn), nil
}

// NewClient returns a Client that sends its calls on conn.
func NewClient(conn net.Conn) *Client {
	c := &Client{
		conn:    conn,
		pending: make(map[uint64]chan Frame),
		done:    make(chan struct{}),
	}
	go c.readLoop()
	return c
}

// Call sends method(args) and waits for the reply, which it decodes into
// reply. Many goroutines may call at once over the one connection: each call
// gets a call id of its own (never 0, which names the connection), each
// request is written as one whole frame, and each reply reaches the call
// whose id it carries, whatever order the server answers in, even when it
// arrives before the write of its request has returned.
//
// Call returns a [ServerError] holding the server's text when the reply is an
// error; the connection stays usable. When ctx ends first, Call returns
// ctx.Err() at once (without sending anything if ctx was done already); a
// reply that comes later is dropped, and the connection stays usable. ctx's
// deadline also bounds sending the request. However a call ends, it leaves
// nothing of itself behind in the Client. Once the connection is broken, the
// waiting calls and every later one return the reason at once (after
// [Client.Close], [ErrClientClosed]).
func (c *Client) Call(ctx context.Context, method string, args, reply any) error {
	return errors.New("step 4: Call is not implemented yet")
}

// readLoop is the connection's only reader. It reads replies until the
// connection ends and hands each to the Call waiting for its id, without ever
// waiting on that Call; a reply nobody waits for any more (the caller gave up)
// is dropped. A read error, a request from the server, or a reply with call
// id 0 (the server hanging up, with its reason) breaks the connection: the
// first reason it breaks for is the one every call returns from then on, the
// calls waiting return at once, and the connection is closed. Call and Close
// break it the same way. readLoop closes c.done when it returns.
func (c *Client) readLoop() {
	defer close(c.done)
}

// Close breaks the connection on purpose: waiting and later calls return
// [ErrClientClosed]. It returns once readLoop has ended, so no goroutine of
// the client outlives it. Close may be called more than once; it returns nil.
func (c *Client) Close() error {
	return errors.New("step 4: Close is not implemented yet")
}

// CallOnce is the dial-per-call variant: connect, send one request, read one
// reply, hang up. Simple, and it pays for a new connection on every call.
//
// ctx bounds the whole call, the dial included: when ctx ends, by its deadline
// or a cancel, CallOnce returns promptly with ctx.Err(), never a bare
// "i/o timeout", even when the connection notices the deadline a moment
// before ctx does. The reply must answer the request sent (its call id);
// anything else is an [ErrBadFrame] error. Like [Client.Call], it returns a
// [ServerError] for an error reply.
func CallOnce(ctx context.Context, addr, method string, args, reply any) error {
	return errors.New("step 4: CallOnce is not implemented yet")
}
