package rpcbasics

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
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
	body, err := Marshal(args)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ch := make(chan Frame, 1) // buffered: readLoop never waits for us
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()

	if err := c.send(ctx, Frame{Kind: KindRequest, CallID: id, Method: method, Body: body}); err != nil {
		c.forget(id)
		return err
	}

	select {
	case f, ok := <-ch:
		if !ok { // the connection broke before our reply came
			c.mu.Lock()
			defer c.mu.Unlock()
			return c.err
		}
		if f.Error != "" {
			return ServerError(f.Error)
		}
		return Unmarshal(f.Body, reply)
	case <-ctx.Done():
		c.forget(id) // a late reply for id is dropped by readLoop
		return ctx.Err()
	}
}

// send writes one request, within ctx's deadline if it has one.
func (c *Client) send(ctx context.Context, f Frame) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	deadline, _ := ctx.Deadline() // the zero time means no deadline
	c.conn.SetWriteDeadline(deadline)
	err := WriteFrame(c.conn, f)
	if err != nil && !errors.Is(err, ErrFrameTooLarge) && !errors.Is(err, ErrBadFrame) {
		// Part of a frame may be on the wire: the stream is unusable.
		c.fail(fmt.Errorf("connection lost: %w", err))
	}
	return err
}

func (c *Client) forget(id uint64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
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
	r := bufio.NewReader(c.conn)
	for {
		f, err := ReadFrame(r)
		if err != nil {
			c.fail(fmt.Errorf("connection lost: %w", err))
			return
		}
		if f.Kind != KindReply {
			c.fail(fmt.Errorf("%w: the server sent a request", ErrBadFrame))
			return
		}
		if f.CallID == 0 {
			c.fail(fmt.Errorf("the server closed the connection: %s", f.Error))
			return
		}
		c.mu.Lock()
		ch, ok := c.pending[f.CallID]
		delete(c.pending, f.CallID)
		c.mu.Unlock()
		if ok {
			ch <- f
		}
	}
}

// fail records why the connection is unusable (the first reason wins),
// wakes every waiting caller and closes the connection.
func (c *Client) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
	}
	for id, ch := range c.pending {
		delete(c.pending, id)
		close(ch)
	}
	c.conn.Close()
}

// Close breaks the connection on purpose: waiting and later calls return
// [ErrClientClosed]. It returns once readLoop has ended, so no goroutine of
// the client outlives it. Close may be called more than once; it returns nil.
func (c *Client) Close() error {
	c.fail(ErrClientClosed)
	<-c.done
	return nil
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
	body, err := Marshal(args)
	if err != nil {
		return err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) }) // cancel unblocks
	defer stop()

	if err := WriteFrame(conn, Frame{Kind: KindRequest, CallID: 1, Method: method, Body: body}); err != nil {
		return callOnceErr(ctx, err)
	}
	f, err := ReadFrame(bufio.NewReader(conn))
	if err != nil {
		return callOnceErr(ctx, err)
	}
	switch {
	case f.Kind != KindReply:
		return fmt.Errorf("%w: the server sent a request", ErrBadFrame)
	case f.Error != "":
		return ServerError(f.Error)
	case f.CallID != 1:
		return fmt.Errorf("%w: a reply for call %d, we sent call 1", ErrBadFrame, f.CallID)
	}
	return Unmarshal(f.Body, reply)
}

// callOnceErr prefers ctx's error: a deadline shows up as an i/o timeout.
func callOnceErr(ctx context.Context, err error) error {
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		// Our deadlines come from ctx, so ctx ends now too; its timer may
		// just not have fired yet.
		<-ctx.Done()
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}
