package rpcbasics

import (
	"errors"
	"io"
)

// A frame is one call or one reply on a connection (step 2). On the wire:
//
//	4 bytes  size: how many bytes follow, big-endian uint32, at most MaxFrameSize
//	1 byte   kind: 1 = request, 2 = reply
//	8 bytes  call id, big-endian uint64; the reply carries its request's id
//	2 bytes  text length, big-endian uint16
//	n bytes  text: the method name on a request, the error on a reply ("" = success)
//	rest     body: the encoded argument (request) or result (reply)
//
// Call ids start at 1. A reply with call id 0 is about the whole connection
// (the server could not read a frame) and is the last thing the server sends.

// MaxFrameSize bounds the size field, so a reader never allocates more than
// this for one frame, whatever the other side claims.
const MaxFrameSize = 1 << 20 // 1 MiB

// headerSize is the fixed part after the size field: kind, call id, text length.
const headerSize = 1 + 8 + 2

// Kind says whether a frame is a request or a reply.
type Kind byte

const (
	KindRequest Kind = 1
	KindReply   Kind = 2
)

// Frame is one request or one reply.
type Frame struct {
	Kind   Kind
	CallID uint64
	Method string // requests: "Service.Method"
	Error  string // replies: why the call failed; "" when it succeeded
	Body   []byte
}

var (
	// ErrFrameTooLarge: a frame's size is above MaxFrameSize.
	ErrFrameTooLarge = errors.New("frame too large")
	// ErrBadFrame: a frame's bytes do not follow the format.
	ErrBadFrame = errors.New("bad frame")
)

// WriteFrame writes f to w in one Write call, so that frames written by
// different goroutines (each holding a lock) never interleave. It writes
// nothing when f could not be read back: a Kind that is neither request nor
// reply, a request without a Method or with an Error, a reply with a Method,
// or a text too long for its 2-byte length is an [ErrBadFrame] error; a frame
// larger than [MaxFrameSize] is an [ErrFrameTooLarge] error. Its errors wrap
// these, so errors.Is finds them.
func WriteFrame(w io.Writer, f Frame) error {
	return errors.New("step 2: WriteFrame is not implemented yet")
}

// ReadFrame reads one frame from r. It returns io.EOF if r ends cleanly
// before a frame starts, io.ErrUnexpectedEOF if it ends inside one, and an
// error wrapping [ErrFrameTooLarge] or [ErrBadFrame] if the bytes break the
// format. It never allocates more than [MaxFrameSize] for a frame, whatever
// its size field claims: the size is checked before the body is read.
func ReadFrame(r io.Reader) (Frame, error) {
	return Frame{}, errors.New("step 2: ReadFrame is not implemented yet")
}
