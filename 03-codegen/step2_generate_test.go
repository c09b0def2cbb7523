package helloworld

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/internal/protofresh"
	"github.com/rpcworkshop/workshop/internal/protogen"
)

// Step 2: generate Go code with go generate. These tests read the
// descriptor that protoc-gen-go embeds in helloworld.pb.go, and the Go
// declarations of the two generated files.

func TestStep2_GeneratedCodeIsFresh(t *testing.T) {
	if changed := staleParts(t); len(changed) > 0 {
		t.Fatalf("you edited helloworld.proto but did not regenerate: run go generate in this folder, then go test again.\n"+
			"(helloworld.proto and the generated code disagree on: %s)", strings.Join(changed, ", "))
	}
}

func TestStep2_GeneratedMessages(t *testing.T) {
	got, want := generated(t), canonical(t)
	var problems []string
	for _, name := range []string{"HelloRequest", "HelloReply"} {
		problems = append(problems, messageProblems(got, want, name)...)
	}
	if len(problems) > 0 {
		t.Fatal("the generated code does not have the Greeter's messages yet: finish step 1 (go test -run Step1), then run go generate.")
	}
	requireDeclared(t, "helloworld.pb.go",
		"HelloRequest", "HelloRequest.GetName", "HelloReply", "HelloReply.GetMessage", "File_helloworld_proto")
}

func TestStep2_GeneratedGreeter(t *testing.T) {
	got, want := generated(t), canonical(t)
	if problems := methodProblems(got, want, "SayHello"); len(problems) > 0 {
		t.Fatal("the generated code has no Greeter service with SayHello yet: finish step 1 (go test -run Step1), then run go generate.")
	}
	requireDeclared(t, "helloworld_grpc.pb.go",
		"GreeterClient", "NewGreeterClient", "GreeterServer", "UnimplementedGreeterServer",
		"RegisterGreeterServer", "Greeter_SayHello_FullMethodName", "Greeter_ServiceDesc")
}

// TestGeneratedCodeMatchesProtoc regenerates the code into a temporary
// folder, as go generate does (with protoc when it is on PATH, otherwise
// in Go, for the same code), and compares it with the generated files here.
func TestGeneratedCodeMatchesProtoc(t *testing.T) {
	if diff, err := protofresh.Diff(protoFile, File_helloworld_proto); err != nil || diff != "" {
		// TestStep2_GeneratedCodeIsFresh reports this, without protoc.
		t.Skip("SKIPPED: helloworld.proto changed since the last go generate; TestStep2_GeneratedCodeIsFresh says what to do.")
	}
	dir := t.TempDir()
	if err := protogen.Generate(".", dir, protoFile); err != nil {
		t.Fatalf("regenerating helloworld.proto failed: %v", err)
	}
	fresh, _ := filepath.Glob(filepath.Join(dir, "*.pb.go"))
	here, _ := filepath.Glob("*.pb.go")
	var names []string
	for _, path := range append(fresh, here...) {
		names = append(names, filepath.Base(path))
	}
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		want, wantErr := os.ReadFile(filepath.Join(dir, name))
		got, gotErr := os.ReadFile(name)
		switch {
		case gotErr != nil:
			t.Errorf("%s is missing here, but go generate writes it: run go generate.", name)
		case wantErr != nil:
			t.Errorf("%s is left over from an older helloworld.proto (go generate no longer writes it): delete it.", name)
		case !bytes.Equal(protogen.StripVersion(want), protogen.StripVersion(got)):
			diff := cmp.Diff(strings.Split(string(protogen.StripVersion(want)), "\n"), strings.Split(string(protogen.StripVersion(got)), "\n"))
			t.Errorf("%s is not what go generate writes from helloworld.proto now (a comment changed in the .proto, or the file was edited by hand): run go generate.\n(-generated now +yours):\n%s", name, diff)
		}
	}
}
