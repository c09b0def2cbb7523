package helloworld

import (
	"fmt"
	"testing"
)

// Step 1: write helloworld.proto. These tests compile your .proto in pure
// Go; they need neither protoc nor go generate.

func TestStep1_FileHeader(t *testing.T) {
	got := yourProto(t)
	problems := headerProblems(got)
	if want := wantGoPackage(t); got.GetOptions().GetGoPackage() != want {
		problems = append(problems, fmt.Sprintf("option go_package is %q, want %q: this folder's import path, then ;helloworld, the Go package name",
			got.GetOptions().GetGoPackage(), want))
	}
	reportProblems(t, "the top of helloworld.proto", problems)
}

func TestStep1_Messages(t *testing.T) {
	got, want := yourProto(t), canonical(t)
	for _, name := range []string{"HelloRequest", "HelloReply"} {
		t.Run(name, func(t *testing.T) {
			reportProblems(t, "helloworld.proto", messageProblems(got, want, name))
		})
	}
}

func TestStep1_SayHello(t *testing.T) {
	got, want := yourProto(t), canonical(t)
	reportProblems(t, "helloworld.proto", methodProblems(got, want, "SayHello"))
}
