package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/helloworld"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestStep2_CheckName(t *testing.T) {
	testkit.StopIfNotImplemented(t, checkName("you"), "greeter.go")
	long := strings.Repeat("x", maxNameBytes+1)
	tests := []struct {
		desc     string
		name     string
		wantCode codes.Code
		wantText string // the status message must mention it
		exact    string // if set, the status message must be exactly this
	}{
		{"a short name", "you", codes.OK, "", ""},
		{"a name of exactly maxNameBytes", strings.Repeat("x", maxNameBytes), codes.OK, "", ""},
		// The README promises this text: the Python client prints it.
		{"an empty name", "", codes.InvalidArgument, "name", `name is empty: send a HelloRequest with a name, for example {"name": "you"}`},
		{"a name one byte too long", long, codes.InvalidArgument, fmt.Sprint(maxNameBytes), ""},
	}
	for _, tt := range tests {
		err := checkName(tt.name)
		if err == nil {
			if tt.wantCode != codes.OK {
				t.Errorf("checkName(%s) = nil; want a status error with code %v", tt.desc, tt.wantCode)
			}
			continue
		}
		st, ok := status.FromError(err)
		if !ok {
			t.Errorf("checkName(%s) = %v, a plain error; return status.Error(codes.%v, ...) so the client gets a code", tt.desc, err, tt.wantCode)
			continue
		}
		if st.Code() != tt.wantCode {
			t.Errorf("checkName(%s) returned code %v (%q); want %v", tt.desc, st.Code(), st.Message(), tt.wantCode)
			continue
		}
		if tt.exact != "" && st.Message() != tt.exact {
			t.Errorf("checkName(%s) message is %q; want exactly %q, the text README.md shows (and the Python client prints): what is wrong, then what to send", tt.desc, st.Message(), tt.exact)
		} else if !strings.Contains(st.Message(), tt.wantText) {
			t.Errorf("checkName(%s) message %q does not mention %q; say what to send instead", tt.desc, st.Message(), tt.wantText)
		}
	}
}

// Over gRPC, the client sees the code your methods return; gRPC itself
// answers Unimplemented for a method or service the server does not have.
func TestStep2_StatusOverGRPC(t *testing.T) {
	testkit.StopIfNotImplemented(t, checkName("you"), "greeter.go")
	srv := grpc.NewServer()
	helloworld.RegisterGreeterServer(srv, Greeter{})
	conn := serveInMemory(t, srv)

	tests := []struct {
		method   string
		name     string
		wantCode codes.Code
		advice   string
	}{
		{"/helloworld.Greeter/SayHello", "you", codes.OK, "a valid name must still get its greeting"},
		{"/helloworld.Greeter/SayHello", "", codes.InvalidArgument, "call checkName at the top of SayHello and return its error"},
		{"/helloworld.Greeter/SayHello", strings.Repeat("x", maxNameBytes+1), codes.InvalidArgument, "call checkName at the top of SayHello and return its error"},
		{"/helloworld.Greeter/SayHelloAgain", "", codes.InvalidArgument, "call checkName at the top of SayHelloAgain too"},
		{"/helloworld.Greeter/SayGoodbye", "you", codes.Unimplemented, "gRPC answers Unimplemented for a method the service does not have; register the Greeter with helloworld.RegisterGreeterServer"},
		{"/helloworld.Farewell/SayGoodbye", "you", codes.Unimplemented, "gRPC answers Unimplemented for a service the server does not have"},
	}
	for _, tt := range tests {
		err := conn.Invoke(callContext(t), tt.method, &helloworld.HelloRequest{Name: tt.name}, new(helloworld.HelloReply))
		if got := status.Code(err); got != tt.wantCode {
			advice := tt.advice
			if got == codes.Unknown {
				advice = "a plain error (errors.New, fmt.Errorf) reaches the client as Unknown; make checkName return status.Error(codes.InvalidArgument, ...)"
			}
			t.Errorf("%s with name of %d bytes: got code %v (%q); want %v: %s",
				tt.method, len(tt.name), got, status.Convert(err).Message(), tt.wantCode, advice)
		}
	}
}
