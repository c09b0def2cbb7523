package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/rpcworkshop/workshop/helloworld"
)

// A Call is the one Greeter call the capture makes: a unary one, or
// SayHelloStreamReply, whose replies come in one DATA frame each.
type Call struct {
	Authority string        // the :authority header, the address as the client names it
	Method    string        // a Greeter method: SayHello, SayHelloAgain, SayHelloStreamReply (or any name, to see an error)
	Name      string        // HelloRequest.name
	Timeout   time.Duration // sent as grpc-timeout, and the limit on the whole capture
	RequestID string        // if set, sent as the metadata x-request-id
}

// Path is the :path of the call: /package.Service/Method, problem 2 of the
// five, the address of the method inside the server.
func (c Call) Path() string { return "/helloworld.Greeter/" + c.Method }

// Capture makes the call over conn by writing HTTP/2 frames itself, and
// prints every frame that goes either way: "->" for what the client sends,
// "<-" for what the server sends. It returns when the server has sent the
// call's trailers (the HEADERS frame that ends stream 1).
func Capture(conn net.Conn, call Call, out io.Writer) error {
	if err := conn.SetDeadline(time.Now().Add(call.Timeout + time.Second)); err != nil {
		return err
	}
	p := &printer{out: out}
	fr := http2.NewFramer(conn, conn)
	// Decode the header blocks the server sends into (name, value) fields.
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)

	// 1. The connection preface: a fixed string, then our SETTINGS.
	if _, err := io.WriteString(conn, http2.ClientPreface); err != nil {
		return err
	}
	p.line("-> connection preface %q", http2.ClientPreface)
	if err := fr.WriteSettings(); err != nil {
		return err
	}
	p.line("-> SETTINGS stream=0 (empty: the client takes the defaults)")

	// 2. The request headers: the method's address and gRPC's own fields.
	fields := []hpack.HeaderField{
		{Name: ":method", Value: "POST"},
		{Name: ":scheme", Value: "http"},
		{Name: ":path", Value: call.Path()},
		{Name: ":authority", Value: call.Authority},
		{Name: "content-type", Value: "application/grpc"},
		{Name: "te", Value: "trailers"},
		{Name: "grpc-timeout", Value: grpcTimeout(call.Timeout)},
	}
	if call.RequestID != "" {
		// Metadata is nothing but more header fields.
		fields = append(fields, hpack.HeaderField{Name: "x-request-id", Value: call.RequestID})
	}
	var block bytes.Buffer
	enc := hpack.NewEncoder(&block)
	for _, f := range fields {
		if err := enc.WriteField(f); err != nil {
			return err
		}
	}
	const stream = 1 // a client's streams are odd: the first call is stream 1
	if err := fr.WriteHeaders(http2.HeadersFrameParam{
		StreamID:      stream,
		BlockFragment: block.Bytes(),
		EndHeaders:    true,
	}); err != nil {
		return err
	}
	p.line("-> HEADERS stream=%d flags=END_HEADERS (%d bytes of HPACK)", stream, block.Len())
	for _, f := range fields {
		p.field(f)
	}

	// 3. The request message: a 5-byte prefix, then the protobuf bytes.
	msg, err := proto.Marshal(&helloworld.HelloRequest{Name: call.Name})
	if err != nil {
		return err
	}
	body := lengthPrefixed(msg)
	if err := fr.WriteData(stream, true, body); err != nil {
		return err
	}
	p.line("-> DATA stream=%d flags=END_STREAM (%d bytes)", stream, len(body))
	p.message(body, "HelloRequest")

	// 4. Read until the server ends the stream with its trailers.
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return fmt.Errorf("reading a frame: %w", err)
		}
		done, err := p.serverFrame(fr, f)
		if err != nil || done {
			return err
		}
	}
}

// serverFrame prints one frame from the server and answers what HTTP/2
// requires an answer to (SETTINGS and PING). It reports whether the call is over.
func (p *printer) serverFrame(fr *http2.Framer, f http2.Frame) (done bool, err error) {
	h := f.Header()
	switch f := f.(type) {
	case *http2.SettingsFrame:
		if f.IsAck() {
			p.line("<- SETTINGS stream=0 flags=ACK (the server took our settings)")
			return false, nil
		}
		p.line("<- SETTINGS stream=0")
		if err := f.ForeachSetting(func(s http2.Setting) error {
			p.line("     %s = %d", s.ID, s.Val)
			return nil
		}); err != nil {
			return false, err
		}
		p.line("-> SETTINGS stream=0 flags=ACK")
		return false, fr.WriteSettingsAck()
	case *http2.WindowUpdateFrame:
		p.line("<- WINDOW_UPDATE stream=%d increment=%d", h.StreamID, f.Increment)
	case *http2.PingFrame:
		if f.IsAck() {
			p.line("<- PING flags=ACK data=% x", f.Data)
			return false, nil
		}
		p.line("<- PING stream=0 data=% x", f.Data)
		p.line("-> PING stream=0 flags=ACK (the same 8 bytes back)")
		return false, fr.WritePing(true, f.Data)
	case *http2.MetaHeadersFrame:
		what := "response headers"
		if f.StreamEnded() {
			what = "trailers: the call is over"
		}
		p.line("<- HEADERS stream=%d flags=%s (%s)", h.StreamID, flagNames(h.Flags, http2.FrameHeaders), what)
		for _, hf := range f.Fields {
			p.field(hf)
		}
		return f.StreamEnded(), nil
	case *http2.DataFrame:
		p.line("<- DATA stream=%d flags=%s (%d bytes)", h.StreamID, flagNames(h.Flags, http2.FrameData), len(f.Data()))
		p.message(f.Data(), "HelloReply")
		return f.StreamEnded(), nil
	case *http2.RSTStreamFrame:
		p.line("<- RST_STREAM stream=%d code=%s", h.StreamID, f.ErrCode)
		return true, nil
	case *http2.GoAwayFrame:
		p.line("<- GOAWAY last-stream=%d code=%s %s", f.LastStreamID, f.ErrCode, f.DebugData())
		return true, nil
	default:
		p.line("<- %s stream=%d", h.Type, h.StreamID)
	}
	return false, nil
}

// grpcTimeout writes a deadline the way gRPC sends it: an integer of at most
// 8 digits and a unit (H, M, S, m for milliseconds, u, n).
func grpcTimeout(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + "m"
}

// lengthPrefixed frames one message as gRPC does inside DATA frames: one
// byte "compressed?" (0 = no), four bytes of big-endian length, the message.
func lengthPrefixed(msg []byte) []byte {
	b := make([]byte, 5, 5+len(msg))
	binary.BigEndian.PutUint32(b[1:], uint32(len(msg)))
	return append(b, msg...)
}

// flagNames spells out the flags that matter in this capture.
func flagNames(flags http2.Flags, t http2.FrameType) string {
	var names []string
	if flags.Has(http2.FlagHeadersEndStream) && (t == http2.FrameHeaders || t == http2.FrameData) {
		names = append(names, "END_STREAM")
	}
	if t == http2.FrameHeaders && flags.Has(http2.FlagHeadersEndHeaders) {
		names = append(names, "END_HEADERS")
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "|")
}

type printer struct{ out io.Writer }

func (p *printer) line(format string, args ...any) {
	fmt.Fprintln(p.out, strings.TrimRight(fmt.Sprintf(format, args...), " "))
}

func (p *printer) field(f hpack.HeaderField) {
	p.line("     %s: %s", f.Name, f.Value)
}

// message prints a DATA payload: the 5-byte prefix, then the protobuf
// message field by field.
func (p *printer) message(data []byte, typeName string) {
	if len(data) < 5 {
		p.line("     (%d bytes: too short for the 5-byte gRPC prefix)", len(data))
		return
	}
	n := binary.BigEndian.Uint32(data[1:5])
	msg := data[5:]
	p.line("     prefix   % x  (compressed=%d, length=%d)", data[:5], data[0], n)
	p.line("     message  % x  (%s)", msg, typeName)
	for len(msg) > 0 {
		num, typ, tagLen := protowire.ConsumeTag(msg)
		if tagLen < 0 {
			p.line("       (not protobuf: %v)", protowire.ParseError(tagLen))
			return
		}
		if typ != protowire.BytesType {
			valLen := protowire.ConsumeFieldValue(num, typ, msg[tagLen:])
			if valLen < 0 {
				p.line("       (not protobuf: %v)", protowire.ParseError(valLen))
				return
			}
			p.line("       % x  field %d, wire type %d", msg[:tagLen+valLen], num, typ)
			msg = msg[tagLen+valLen:]
			continue
		}
		v, valLen := protowire.ConsumeBytes(msg[tagLen:])
		if valLen < 0 {
			p.line("       (not protobuf: %v)", protowire.ParseError(valLen))
			return
		}
		p.line("       % x  field %d, wire type 2 (LEN), length %d: %q", msg[:tagLen+valLen-len(v)], num, len(v), v)
		msg = msg[tagLen+valLen:]
	}
}
