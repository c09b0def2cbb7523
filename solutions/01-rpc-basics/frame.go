package rpcbasics

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
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
	var text string
	switch f.Kind {
	case KindRequest:
		if f.Method == "" || f.Error != "" {
			return fmt.Errorf("%w: a request needs a method and no error", ErrBadFrame)
		}
		text = f.Method
	case KindReply:
		if f.Method != "" {
			return fmt.Errorf("%w: a reply carries no method", ErrBadFrame)
		}
		text = f.Error
	default:
		return fmt.Errorf("%w: unknown kind %d", ErrBadFrame, f.Kind)
	}
	if len(text) > math.MaxUint16 {
		return fmt.Errorf("%w: a text of %d bytes does not fit in 2 bytes", ErrBadFrame, len(text))
	}
	size := headerSize + len(text) + len(f.Body)
	if size > MaxFrameSize {
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrFrameTooLarge, size, MaxFrameSize)
	}
	buf := make([]byte, 0, 4+size)
	buf = binary.BigEndian.AppendUint32(buf, uint32(size))
	buf = append(buf, byte(f.Kind))
	buf = binary.BigEndian.AppendUint64(buf, f.CallID)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(text)))
	buf = append(buf, text...)
	buf = append(buf, f.Body...)
	_, err := w.Write(buf)
	return err
}

// ReadFrame reads one frame from r. It returns io.EOF if r ends cleanly
// before a frame starts, io.ErrUnexpectedEOF if it ends inside one, and an
// error wrapping [ErrFrameTooLarge] or [ErrBadFrame] if the bytes break the
// format. It never allocates more than [MaxFrameSize] for a frame, whatever
// its size field claims: the size is checked before the body is read.
func ReadFrame(r io.Reader) (Frame, error) {
	var prefix [4]byte
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		return Frame{}, err
	}
	size := binary.BigEndian.Uint32(prefix[:])
	// Check the size before allocating: the other side may lie.
	if size > MaxFrameSize {
		return Frame{}, fmt.Errorf("%w: the size field says %d bytes, the limit is %d", ErrFrameTooLarge, size, MaxFrameSize)
	}
	if size < headerSize {
		return Frame{}, fmt.Errorf("%w: %d bytes cannot hold the %d-byte header", ErrBadFrame, size, headerSize)
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Frame{}, err
	}
	f := Frame{Kind: Kind(buf[0]), CallID: binary.BigEndian.Uint64(buf[1:9])}
	textLen := int(binary.BigEndian.Uint16(buf[9:11]))
	rest := buf[headerSize:]
	if textLen > len(rest) {
		return Frame{}, fmt.Errorf("%w: the text claims %d bytes but only %d remain", ErrBadFrame, textLen, len(rest))
	}
	text := string(rest[:textLen])
	f.Body = rest[textLen:]
	switch f.Kind {
	case KindRequest:
		if text == "" {
			return Frame{}, fmt.Errorf("%w: a request without a method", ErrBadFrame)
		}
		f.Method = text
	case KindReply:
		f.Error = text
	default:
		return Frame{}, fmt.Errorf("%w: unknown kind %d", ErrBadFrame, f.Kind)
	}
	return f, nil
}
