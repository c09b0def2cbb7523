package rpcbasics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The README's byte-by-byte example: the request for "Ada Lovelace" and its reply.
const (
	requestBytes = `
00 00 00 39
01
00 00 00 00 00 00 00 01
00 21
45 6d 70 6c 6f 79 65 65 53 65 72 76 69 63 65 2e 47 65 74 45 6d 70 6c 6f 79 65 65 42 79 4e 61 6d 65
0c 41 64 61 20 4c 6f 76 65 6c 61 63 65`
	replyBytes = `
00 00 00 32
02
00 00 00 00 00 00 00 01
00 00` + adaBytes
	errorReplyBytes = `
00 00 00 1d
02
00 00 00 00 00 00 00 02
00 12
65 6d 70 6c 6f 79 65 65 20 6e 6f 74 20 66 6f 75 6e 64`
)

// goldenFrames pairs each example frame with its bytes.
func goldenFrames(t testing.TB) []struct {
	name  string
	frame Frame
	bytes []byte
} {
	return []struct {
		name  string
		frame Frame
		bytes []byte
	}{
		{"request", Frame{Kind: KindRequest, CallID: 1, Method: GetEmployeeByNameMethod, Body: unhex(t, "0c 41 64 61 20 4c 6f 76 65 6c 61 63 65")}, unhex(t, requestBytes)},
		{"reply", Frame{Kind: KindReply, CallID: 1, Body: unhex(t, adaBytes)}, unhex(t, replyBytes)},
		{"error reply", Frame{Kind: KindReply, CallID: 2, Error: "employee not found"}, unhex(t, errorReplyBytes)},
	}
}

// equateFrames compares bodies with bytes.Equal: fast on large bodies, and a
// nil body equals an empty one.
var equateFrames = cmp.Comparer(bytes.Equal)

func TestStep2_WriteFrameGolden(t *testing.T) {
	stopIfNotDone(t, 2, WriteFrame(io.Discard, Frame{Kind: KindRequest, CallID: 1, Method: "A.B"}))
	for _, tt := range goldenFrames(t) {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteFrame(&buf, tt.frame)
			stopIfNotDone(t, 2, err)
			if err != nil {
				t.Fatalf("step 2: WriteFrame(%s) returned %v", describe(tt.frame), err)
			}
			if diff := cmp.Diff(tt.bytes, buf.Bytes()); diff != "" {
				t.Errorf("step 2: WriteFrame(%s) wrote the wrong bytes; see the frame layout in frame.go (-want +got):\n%s", describe(tt.frame), diff)
			}
		})
	}
}

func TestStep2_ReadFrameGolden(t *testing.T) {
	_, err := ReadFrame(bytes.NewReader(unhex(t, requestBytes)))
	stopIfNotDone(t, 2, err)
	for _, tt := range goldenFrames(t) {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadFrame(bytes.NewReader(tt.bytes))
			stopIfNotDone(t, 2, err)
			if err != nil {
				t.Fatalf("step 2: ReadFrame(% x) returned %v", tt.bytes, err)
			}
			if diff := cmp.Diff(tt.frame, got, equateFrames); diff != "" {
				t.Errorf("step 2: ReadFrame read the wrong frame (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStep2_FramesOnAStream(t *testing.T) {
	frames := []Frame{
		{Kind: KindRequest, CallID: 1, Method: "A.B"},
		{Kind: KindReply, CallID: 1 << 40, Body: []byte("x")},
		{Kind: KindRequest, CallID: 3, Method: "A.B", Body: bytes.Repeat([]byte{0xff}, 70000)},
		{Kind: KindReply, CallID: 4, Error: strings.Repeat("e", 65535)},
		{Kind: KindReply, CallID: 5, Body: make([]byte, MaxFrameSize-11)}, // exactly MaxFrameSize
	}
	var stream bytes.Buffer
	for _, f := range frames {
		err := WriteFrame(&stream, f)
		stopIfNotDone(t, 2, err)
		if err != nil {
			t.Fatalf("step 2: WriteFrame(%.200s) returned %v", describe(f), err)
		}
	}
	for i, want := range frames {
		got, err := ReadFrame(&stream)
		stopIfNotDone(t, 2, err)
		if err != nil {
			t.Fatalf("step 2: reading frame %d of %d back: %v", i+1, len(frames), err)
		}
		if diff := cmp.Diff(want, got, equateFrames); diff != "" {
			t.Fatalf("step 2: frame %d of %d came back different (-want +got):\n%.2000s", i+1, len(frames), diff)
		}
	}
	if _, err := ReadFrame(&stream); err != io.EOF {
		t.Errorf("step 2: ReadFrame at the end of the stream returned %v; want io.EOF (io.ReadFull of the size gives it)", err)
	}
}

func TestStep2_RejectsBadFrames(t *testing.T) {
	_, err := ReadFrame(bytes.NewReader(unhex(t, requestBytes)))
	stopIfNotDone(t, 2, err)

	tests := []struct {
		name string
		data string
		want error // nil: any error will do
	}{
		{"size above MaxFrameSize, no body sent", "7f ff ff ff", ErrFrameTooLarge},
		{"size 0xffffffff", "ff ff ff ff 01 02 03", ErrFrameTooLarge},
		{"size of MaxFrameSize+1", "00 10 00 01", ErrFrameTooLarge},
		{"size smaller than the header", "00 00 00 03 01 00 00", ErrBadFrame},
		{"text longer than the frame", "00 00 00 0c 01 00 00 00 00 00 00 00 01 00 05 41", ErrBadFrame},
		{"unknown kind", "00 00 00 0b 07 00 00 00 00 00 00 00 01 00 00", ErrBadFrame},
		{"request without a method", "00 00 00 0b 01 00 00 00 00 00 00 00 01 00 00", ErrBadFrame},
		{"body shorter than the size says", "00 00 00 20 02 00 00 00 00 00 00 00 01 00 00", io.ErrUnexpectedEOF},
		{"size cut short", "00 00", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := unhex(t, tt.data)
			var got Frame
			var err error
			if p := catch(func() { got, err = ReadFrame(bytes.NewReader(data)) }); p != nil {
				t.Fatalf("step 2: ReadFrame panicked on % x: %v; check every length before slicing", data, p)
			}
			if err == nil {
				t.Fatalf("step 2: ReadFrame accepted % x as %s; it must return an error", data, describe(got))
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("step 2: ReadFrame(% x) returned %q; want an error that errors.Is %q (wrap it: fmt.Errorf(\"%%w: ...\", %s))", data, err, tt.want, errName(tt.want))
			}
		})
	}
	golden := unhex(t, requestBytes)
	for n := 1; n < len(golden); n++ {
		if _, err := ReadFrame(bytes.NewReader(golden[:n])); err != io.ErrUnexpectedEOF {
			t.Errorf("step 2: ReadFrame on the first %d bytes of a frame returned %v; want io.ErrUnexpectedEOF\nOnce a frame has begun, a stream that ends is a cut frame: io.ReadFull returns io.EOF when it read nothing at all, turn that into io.ErrUnexpectedEOF for the body.", n, err)
			break
		}
	}
}

func errName(err error) string {
	switch err {
	case ErrFrameTooLarge:
		return "ErrFrameTooLarge"
	case ErrBadFrame:
		return "ErrBadFrame"
	}
	return fmt.Sprintf("%v", err)
}

func TestStep2_WriteFrameRefusesWhatCannotBeRead(t *testing.T) {
	err := WriteFrame(io.Discard, Frame{Kind: KindRequest, CallID: 1, Method: "A.B"})
	stopIfNotDone(t, 2, err)

	tests := []struct {
		name  string
		frame Frame
		want  error
	}{
		{"body one byte too big", Frame{Kind: KindReply, CallID: 1, Body: make([]byte, MaxFrameSize-10)}, ErrFrameTooLarge},
		{"request without a method", Frame{Kind: KindRequest, CallID: 1}, ErrBadFrame},
		{"request that carries an error text", Frame{Kind: KindRequest, CallID: 1, Method: "A.B", Error: "boom"}, ErrBadFrame},
		{"reply that names a method", Frame{Kind: KindReply, CallID: 1, Method: "A.B"}, ErrBadFrame},
		{"kind 0", Frame{CallID: 1, Method: "A.B"}, ErrBadFrame},
		{"text longer than 65535 bytes", Frame{Kind: KindReply, CallID: 1, Error: strings.Repeat("e", 65536)}, ErrBadFrame},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := WriteFrame(&buf, tt.frame)
		if !errors.Is(err, tt.want) {
			t.Errorf("step 2: WriteFrame with a %s returned %v; want an error that errors.Is %s: a frame has one text, the method on a request and the error on a reply, so refuse what ReadFrame could not give back as it was", tt.name, err, errName(tt.want))
		}
		if buf.Len() != 0 {
			t.Errorf("step 2: WriteFrame with a %s wrote %d bytes before failing; check first, then write, or the stream is broken", tt.name, buf.Len())
		}
	}
}

func TestStep2_NoAllocationFromUntrustedSize(t *testing.T) {
	_, err := ReadFrame(bytes.NewReader(unhex(t, requestBytes)))
	stopIfNotDone(t, 2, err)

	data := unhex(t, "7f ff ff ff 01")
	var got uint64
	if p := catch(func() { got = allocatedBy(func() { _, err = ReadFrame(bytes.NewReader(data)) }) }); p != nil {
		t.Fatalf("step 2: ReadFrame panicked on % x: %v", data, p)
	}
	if got > 1<<20 {
		t.Errorf("step 2: ReadFrame allocated %d bytes for a frame that claims 2 GiB: compare the size with MaxFrameSize before make([]byte, size)", got)
	}
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("step 2: ReadFrame returned %v for a size of 2 GiB; want ErrFrameTooLarge", err)
	}
}

func FuzzReadFrame(f *testing.F) {
	f.Add(unhex(f, requestBytes))
	f.Add(unhex(f, replyBytes))
	f.Add(unhex(f, errorReplyBytes+requestBytes))
	f.Add(unhex(f, "00 00 00 0c 01 00 00 00 00 00 00 00 01 00 05 41"))
	f.Add(unhex(f, "ff ff ff ff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		for {
			var got Frame
			var err error
			if p := catch(func() { got, err = ReadFrame(r) }); p != nil {
				t.Fatalf("step 2: ReadFrame panicked on % x: %v; return an error instead", data, p)
			}
			if err != nil {
				return // rejected, or the end of the input
			}
			var buf bytes.Buffer
			if err := WriteFrame(&buf, got); err != nil {
				t.Fatalf("WriteFrame refused %.300s, which ReadFrame accepted: %v", describe(got), err)
			}
			again, err := ReadFrame(&buf)
			if err != nil {
				t.Fatalf("ReadFrame refused % .300x, which WriteFrame wrote: %v", buf.Bytes(), err)
			}
			if diff := cmp.Diff(got, again, equateFrames); diff != "" {
				t.Fatalf("read, write, read changed the frame (-first +second):\n%.2000s", diff)
			}
		}
	})
}
