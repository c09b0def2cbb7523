package helloworld

import (
	"context"
	"fmt"
	"net"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	_ "google.golang.org/protobuf/types/descriptorpb" // registers google.protobuf.FieldDescriptorProto
)

// Step 4: read the generated code. These tests call the functions of
// answers.go. They never name a generated identifier themselves (the
// chapter must compile before you generate anything): they find the
// generated message types by their protobuf names instead.

// newMessage returns an empty message of the generated type with the
// given protobuf name, such as "helloworld.HelloRequest".
func newMessage(t *testing.T, name protoreflect.FullName) protoreflect.Message {
	t.Helper()
	mt, err := protoregistry.GlobalTypes.FindMessageByName(name)
	if err != nil {
		t.Fatalf("the generated code has no message %s: finish steps 1 and 2 first (go test -run \"Step1|Step2\")", name)
	}
	return mt.New()
}

// setString sets a string field of msg by its .proto name.
func setString(t *testing.T, msg protoreflect.Message, field protoreflect.Name, value string) {
	t.Helper()
	fd := msg.Descriptor().Fields().ByName(field)
	if fd == nil || fd.Kind() != protoreflect.StringKind {
		t.Fatalf("%s has no string field %s: finish steps 1 and 2 first (go test -run \"Step1|Step2\")", msg.Descriptor().FullName(), field)
	}
	msg.Set(fd, protoreflect.ValueOfString(value))
}

func TestStep4_FullMethodName(t *testing.T) {
	got, err := SayHelloMethod()
	testkit.StopIfNotImplemented(t, err, "answers.go")
	if err != nil {
		t.Fatalf("SayHelloMethod: %v", err)
	}
	if want := "/helloworld.Greeter/SayHello"; got != want {
		t.Fatalf("SayHelloMethod() = %q, want %q: /package.Service/Method, a constant of helloworld_grpc.pb.go", got, want)
	}
}

func TestStep4_ServiceDesc(t *testing.T) {
	desc, err := GreeterService()
	testkit.StopIfNotImplemented(t, err, "answers.go")
	if err != nil {
		t.Fatalf("GreeterService: %v", err)
	}
	if desc == nil {
		t.Fatal("GreeterService() returned nil: return the address of the generated grpc.ServiceDesc variable")
	}
	if want := "helloworld.Greeter"; desc.ServiceName != want {
		t.Errorf("GreeterService().ServiceName = %q, want %q", desc.ServiceName, want)
	}
	var methods []string
	for _, m := range desc.Methods {
		methods = append(methods, m.MethodName)
		if m.Handler == nil {
			t.Errorf("GreeterService(): method %s has no Handler: return the generated descriptor, not one of your own", m.MethodName)
		}
	}
	slices.Sort(methods)
	if diff := cmp.Diff([]string{"SayHello", "SayHelloAgain"}, methods); diff != "" {
		t.Errorf("GreeterService() lists the wrong methods (-want +got):\n%s\nReturn the service descriptor generated in helloworld_grpc.pb.go, once step 3 is done.", diff)
	}
	if want := "helloworld.proto"; desc.Metadata != want {
		t.Errorf("GreeterService().Metadata = %v, want %q (the .proto it came from)", desc.Metadata, want)
	}
	if ht := reflect.TypeOf(desc.HandlerType); ht == nil || ht.Kind() != reflect.Pointer || ht.Elem().Name() != "GreeterServer" {
		t.Errorf("GreeterService().HandlerType = %T, want (*GreeterServer)(nil): the interface a server implements", desc.HandlerType)
	}
	// The very table the generated RegisterGreeterServer hands to a server.
	var r recordingRegistrar
	if err := registerGreeterOn(&r); err == nil && r.desc != nil && r.desc != desc {
		t.Errorf("GreeterService() returns a copy of the generated service descriptor, not the variable that RegisterGreeterServer registers: return its address (&...ServiceDesc) itself, so that there is one table, the one the server reads")
	}
}

// recordingRegistrar is a grpc.ServiceRegistrar that keeps the descriptor
// registered on it.
type recordingRegistrar struct{ desc *grpc.ServiceDesc }

func (r *recordingRegistrar) RegisterService(desc *grpc.ServiceDesc, _ any) { r.desc = desc }

func TestStep4_UnimplementedGreeterServer(t *testing.T) {
	server := grpc.NewServer()
	err := registerGreeter(server)
	testkit.StopIfNotImplemented(t, err, "answers.go")
	if err != nil {
		t.Fatalf("RegisterGreeter: %v", err)
	}
	conn := serve(t, server)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, tc := range []struct {
		method   string
		wantCode codes.Code
		wantText string
	}{
		{"/helloworld.Greeter/SayHello", codes.OK, "Hello, Ada!"},
		{"/helloworld.Greeter/SayHelloAgain", codes.Unimplemented, ""},
	} {
		req := newMessage(t, "helloworld.HelloRequest")
		setString(t, req, "name", "Ada")
		reply := newMessage(t, "helloworld.HelloReply")
		err := conn.Invoke(ctx, tc.method, req.Interface(), reply.Interface())
		if code := status.Code(err); code != tc.wantCode {
			t.Errorf("calling %s: code %v (%v), want %v", tc.method, code, err, tc.wantCode)
			if tc.wantCode == codes.Unimplemented {
				t.Log("Leave SayHelloAgain to the embedded UnimplementedGreeterServer: do not define it on your greeter.")
			}
			continue
		}
		if got := reply.Get(reply.Descriptor().Fields().ByName("message")).String(); got != tc.wantText {
			t.Errorf("calling %s: reply message %q, want %q", tc.method, got, tc.wantText)
		}
	}
}

// registerGreeter calls RegisterGreeter and turns a panic into an error: the
// generated RegisterGreeterServer panics when UnimplementedGreeterServer is
// embedded by pointer, which is one of the lessons of step 4.
func registerGreeter(s *grpc.Server) error { return registerGreeterOn(s) }

func registerGreeterOn(s grpc.ServiceRegistrar) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panicked: %v\n"+
				"Embed UnimplementedGreeterServer by value (a field of type UnimplementedGreeterServer, not *UnimplementedGreeterServer)", p)
		}
	}()
	return RegisterGreeter(s)
}

// serve runs s on an in-memory listener and returns a client connection to
// it; both are closed when the test ends.
func serve(t *testing.T, s *grpc.Server) *grpc.ClientConn {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	go s.Serve(lis)
	t.Cleanup(s.Stop)
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestStep4_NewHelloRequest(t *testing.T) {
	req, err := NewHelloRequest("Ada")
	testkit.StopIfNotImplemented(t, err, "answers.go")
	if err != nil {
		t.Fatalf("NewHelloRequest: %v", err)
	}
	if req == nil {
		t.Fatal("NewHelloRequest returned nil: return a pointer to a generated HelloRequest")
	}
	if got, want := req.ProtoReflect().Descriptor().FullName(), protoreflect.FullName("helloworld.HelloRequest"); got != want {
		t.Fatalf("NewHelloRequest returned a %s, want a %s", got, want)
	}
	got, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	// Field 1, wire type 2 (length-delimited): tag byte 0x0a, then the length, then the bytes.
	want := []byte{0x0a, 3, 'A', 'd', 'a'}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("NewHelloRequest(%q) encodes to the wrong bytes (-want +got):\n%s\nSet the name field.", "Ada", diff)
	}
}

func TestStep4_ReplyText(t *testing.T) {
	reply := newMessage(t, "helloworld.HelloReply")
	setString(t, reply, "message", "Hello, Ada!")
	got, err := ReplyText(reply.Interface())
	testkit.StopIfNotImplemented(t, err, "answers.go")
	if err != nil {
		t.Fatalf("ReplyText: %v", err)
	}
	if want := "Hello, Ada!"; got != want {
		t.Errorf("ReplyText(HelloReply{message: %q}) = %q, want %q", want, got, want)
	}

	// A nil *HelloReply: the generated getters return the zero value
	// instead of panicking, so a caller need not check for nil.
	nilReply := reply.Type().Zero().Interface()
	got, err = replyTextOfNil(nilReply)
	if err != nil || got != "" {
		t.Errorf("ReplyText((*HelloReply)(nil)) = %q, %v; want \"\", nil: use the generated getter, GetMessage, which is safe on nil", got, err)
	}

	req := newMessage(t, "helloworld.HelloRequest").Interface()
	if _, err := ReplyText(req); err == nil {
		t.Errorf("ReplyText(a HelloRequest) returned no error: check that the message is a *HelloReply")
	}
}

// replyTextOfNil calls ReplyText on a nil *HelloReply and turns a panic
// into an error.
func replyTextOfNil(nilReply proto.Message) (text string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return ReplyText(nilReply)
}

func TestStep4_FieldNumbers(t *testing.T) {
	for _, tc := range []struct {
		message protoreflect.FullName
		want    map[string]int
	}{
		{"helloworld.HelloRequest", map[string]int{"name": 1}},
		{"helloworld.HelloReply", map[string]int{"message": 1}},
		// A message whose numbers have a gap: proto3_optional is the 11th field, number 17.
		{"google.protobuf.FieldDescriptorProto", map[string]int{"name": 1, "extendee": 2, "number": 3, "label": 4, "type": 5, "type_name": 6,
			"default_value": 7, "options": 8, "oneof_index": 9, "json_name": 10, "proto3_optional": 17}},
	} {
		got, err := FieldNumbers(newMessage(t, tc.message).Interface())
		testkit.StopIfNotImplemented(t, err, "answers.go")
		if err != nil {
			t.Fatalf("FieldNumbers: %v", err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("FieldNumbers(%s) is wrong (-want +got):\n%s\nWalk msg.ProtoReflect().Descriptor().Fields() and take each field's Number(): numbers are declared, not counted.", tc.message, diff)
		}
	}
}
