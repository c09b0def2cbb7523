package main

import (
	"bytes"
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/markdown"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the captures shown in "+docFile+" and its Chinese twin")

// docFile shows the output of this program; TestDocCapturesAreTrue keeps it true.
const docFile = "docs/grpc-on-the-wire.md"

// greeter answers like chapter 04's server: Hello, <name>!
type greeter struct {
	helloworld.UnimplementedGreeterServer
}

func (greeter) SayHello(_ context.Context, req *helloworld.HelloRequest) (*helloworld.HelloReply, error) {
	return &helloworld.HelloReply{Message: "Hello, " + req.GetName() + "!"}, nil
}

// SayHelloStreamReply answers like chapter 06's server started with
// -replies 3: three greetings, each in a DATA frame of its own.
func (greeter) SayHelloStreamReply(req *helloworld.HelloRequest, stream grpc.ServerStreamingServer[helloworld.HelloReply]) error {
	for _, greeting := range []string{"Hello", "Bonjour", "Hola"} {
		if err := stream.Send(&helloworld.HelloReply{Message: greeting + ", " + req.GetName() + "!"}); err != nil {
			return err
		}
	}
	return nil
}

// echoRequestID sends back the x-request-id a client sent, in the response
// header, as chapter 04's server does.
func echoRequestID(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	if ids := md.Get("x-request-id"); len(ids) > 0 {
		if err := grpc.SetHeader(ctx, metadata.Pairs("x-request-id", ids[0])); err != nil {
			return nil, err
		}
	}
	return handler(ctx, req)
}

// startGreeter serves the Greeter on a free port of the loopback interface.
func startGreeter(t *testing.T) string {
	return startGreeterWith(t)
}

// chapter06Options are the flow options of chapter 06's server
// (06-streaming/flow.go): its SETTINGS and first WINDOW_UPDATE show them.
var chapter06Options = []grpc.ServerOption{
	grpc.InitialWindowSize(64 << 10),
	grpc.InitialConnWindowSize(1 << 20),
	grpc.MaxConcurrentStreams(100),
}

// startGreeterWith is startGreeter with more server options.
func startGreeterWith(t *testing.T, opts ...grpc.ServerOption) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer(append(opts, grpc.UnaryInterceptor(echoRequestID))...)
	helloworld.RegisterGreeterServer(s, greeter{})
	go s.Serve(lis)
	t.Cleanup(s.Stop)
	return lis.Addr().String()
}

// capture makes one call against addr and returns what Capture printed.
func capture(t *testing.T, addr string, call Call) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var out bytes.Buffer
	if err := Capture(conn, call, &out); err != nil {
		t.Fatalf("Capture: %v\noutput so far:\n%s", err, out.String())
	}
	return out.String()
}

func defaultCall() Call {
	return Call{Authority: "localhost:50051", Method: "SayHello", Name: "you", Timeout: time.Second}
}

func TestCaptureShowsTheCall(t *testing.T) {
	out := capture(t, startGreeter(t), defaultCall())
	for _, want := range []string{
		"-> connection preface",
		":path: /helloworld.Greeter/SayHello",
		"content-type: application/grpc",
		"te: trailers",
		"grpc-timeout: 1000m",
		"prefix   00 00 00 00 05  (compressed=0, length=5)",
		"0a 03  field 1, wire type 2 (LEN), length 3: \"you\"",
		":status: 200",
		"length 11: \"Hello, you!\"",
		"grpc-status: 0",
		"(trailers: the call is over)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the capture has no line with %q; it printed:\n%s", want, out)
		}
	}
}

func TestCaptureMetadata(t *testing.T) {
	call := defaultCall()
	call.RequestID = "42"
	out := capture(t, startGreeter(t), call)
	_, response, ok := strings.Cut(out, "(response headers)")
	if !strings.Contains(out, "x-request-id: 42") || !ok || !strings.Contains(response, "x-request-id: 42") {
		t.Errorf("want x-request-id: 42 in the request HEADERS and echoed in the response HEADERS; the capture printed:\n%s", out)
	}
}

func TestCaptureUnknownMethod(t *testing.T) {
	call := defaultCall()
	call.Method = "SayGoodbye"
	out := capture(t, startGreeter(t), call)
	for _, want := range []string{
		":path: /helloworld.Greeter/SayGoodbye",
		"grpc-status: 12",
		"grpc-message: unknown method SayGoodbye for service helloworld.Greeter",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the capture has no line with %q; it printed:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<- DATA") {
		t.Errorf("an unknown method has no reply message, but the capture shows one:\n%s", out)
	}
}

// A server stream is the same exchange with more DATA frames: one per
// reply, then the trailers.
func TestCaptureServerStream(t *testing.T) {
	call := defaultCall()
	call.Method = "SayHelloStreamReply"
	out := capture(t, startGreeter(t), call)
	if n := strings.Count(out, "<- DATA stream=1"); n != 3 {
		t.Errorf("the capture of a stream of 3 replies shows %d DATA frames from the server; want 3:\n%s", n, out)
	}
	for _, want := range []string{
		":path: /helloworld.Greeter/SayHelloStreamReply",
		`length 11: "Hello, you!"`,
		`length 13: "Bonjour, you!"`,
		`length 10: "Hola, you!"`,
		"grpc-status: 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the capture has no line with %q; it printed:\n%s", want, out)
		}
	}
}

// A server that accepts the connection and never answers must not hang the
// program: the connection's deadline ends it.
func TestCaptureSilentServerTimesOut(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	go func() {
		c, err := lis.Accept()
		if err == nil {
			defer c.Close()
			time.Sleep(5 * time.Second)
		}
	}()
	conn, err := net.DialTimeout("tcp", lis.Addr().String(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	call := defaultCall()
	call.Timeout = 50 * time.Millisecond
	start := time.Now()
	err = Capture(conn, call, &bytes.Buffer{})
	if err == nil {
		t.Fatal("Capture returned no error from a server that never answered")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Capture took %v to give up on a silent server; want about timeout+1s", d)
	}
}

func TestGRPCTimeoutAndPrefix(t *testing.T) {
	if got := grpcTimeout(1500 * time.Millisecond); got != "1500m" {
		t.Errorf("grpcTimeout(1.5s) = %q, want %q", got, "1500m")
	}
	got := lengthPrefixed([]byte{0x0a, 0x03, 'y', 'o', 'u'})
	want := []byte{0, 0, 0, 0, 5, 0x0a, 0x03, 'y', 'o', 'u'}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lengthPrefixed (-want +got):\n%s", diff)
	}
}

// A capture shown in the doc: the command on its first line, then the output.
type docCapture struct {
	start, end int      // the lines of the doc between the fences (command and output)
	args       []string // the flags after "go run ./cmd/grpcframes"
	output     string
}

const prompt = "$ go run ./cmd/grpcframes"

// docCaptures finds the ```console blocks in the doc that start with the prompt.
func docCaptures(t *testing.T, lines []string) []docCapture {
	t.Helper()
	var caps []docCapture
	for i := 0; i < len(lines); i++ {
		if lines[i] != "```console" || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], prompt) {
			continue
		}
		c := docCapture{start: i + 1, args: strings.Fields(strings.TrimPrefix(lines[i+1], prompt))}
		j := i + 2
		for j < len(lines) && lines[j] != "```" {
			j++
		}
		if j == len(lines) {
			t.Fatalf("%s:%d: the block never closes", docFile, i+1)
		}
		c.end = j
		c.output = strings.Join(lines[i+2:j], "\n") + "\n"
		caps = append(caps, c)
		i = j
	}
	return caps
}

// parseArgs reads the flags of a doc command the way main does.
func parseArgs(t *testing.T, args []string) Call {
	t.Helper()
	fs := flag.NewFlagSet("grpcframes", flag.ContinueOnError)
	addr := fs.String("addr", "localhost:50051", "")
	name := fs.String("name", "you", "")
	method := fs.String("method", "SayHello", "")
	timeout := fs.Duration("timeout", time.Second, "")
	requestID := fs.String("request-id", "", "")
	if err := fs.Parse(args); err != nil {
		t.Fatalf("%s: the command %q has flags grpcframes does not take: %v", docFile, args, err)
	}
	return Call{Authority: *addr, Method: *method, Name: *name, Timeout: *timeout, RequestID: *requestID}
}

// frames splits a capture into its frames: a line starting with -> or <-
// and the indented lines under it. The frames of the call (stream 1) keep
// their order; the connection's housekeeping (stream 0: SETTINGS and their
// acknowledgements) may interleave with them differently from run to run,
// so those are compared as a sorted list. WINDOW_UPDATE and PING depend on
// when the server reads the request (a server that answers an unknown
// method before reading the DATA sends neither), so they are left out.
func frames(capture string) (call, conn []string) {
	var all []string
	for _, line := range strings.Split(strings.TrimRight(capture, "\n"), "\n") {
		if strings.HasPrefix(line, " ") && len(all) > 0 {
			all[len(all)-1] += "\n" + line
			continue
		}
		all = append(all, line)
	}
	for _, f := range all {
		if strings.Contains(f, "WINDOW_UPDATE") || strings.Contains(f, "PING") {
			continue
		}
		if strings.Contains(f, "stream=1") {
			call = append(call, f)
		} else {
			conn = append(conn, f)
		}
	}
	slices.Sort(conn)
	return call, conn
}

// TestDocCapturesAreTrue runs every command shown in the doc (and in its
// Chinese twin, which shows the same blocks) against a Greeter server and
// compares the frames with the doc's. Run it with -update to rewrite the
// blocks of both from a fresh capture.
func TestDocCapturesAreTrue(t *testing.T) {
	// The captures of a stream are made against a server like chapter 06's,
	// the others against one like chapter 04's.
	addrs := map[bool]string{false: startGreeter(t), true: startGreeterWith(t, chapter06Options...)}
	for _, doc := range []string{docFile, zhDocFile} {
		t.Run(doc, func(t *testing.T) { checkCaptures(t, addrs, doc) })
	}
}

// zhDocFile is the Chinese edition of docFile.
var zhDocFile = markdown.Twin(docFile)

func checkCaptures(t *testing.T, addrs map[bool]string, doc string) {
	path := filepath.Join(testkit.Root(t), doc)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A CRLF checkout reads as LF; -update writes the page back with LF.
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	caps := docCaptures(t, lines)
	if len(caps) == 0 {
		t.Fatalf("%s shows no capture: want a ```console block starting with %q", doc, prompt)
	}
	for i := len(caps) - 1; i >= 0; i-- { // from the end, so rewriting keeps earlier line numbers
		c := caps[i]
		call := parseArgs(t, c.args)
		got := capture(t, addrs[call.Method == "SayHelloStreamReply"], call)
		if *update {
			lines = slices.Replace(lines, c.start+1, c.end, strings.Split(strings.TrimSuffix(got, "\n"), "\n")...)
			continue
		}
		wantCall, wantConn := frames(c.output)
		gotCall, gotConn := frames(got)
		if diff := cmp.Diff(wantCall, gotCall); diff != "" {
			t.Errorf("%s:%d: the frames of the call differ from a fresh capture (-doc +capture):\n%s\nIf the program changed on purpose, run: go test ./cmd/grpcframes -run TestDocCapturesAreTrue -update", doc, c.start+1, diff)
		}
		if diff := cmp.Diff(wantConn, gotConn); diff != "" {
			t.Errorf("%s:%d: the connection's frames differ from a fresh capture (-doc +capture):\n%s\nIf the program changed on purpose, run: go test ./cmd/grpcframes -run TestDocCapturesAreTrue -update", doc, c.start+1, diff)
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
