package helloworld

import (
	"bytes"
	"fmt"
	"github.com/rpcworkshop/workshop/internal/testkit"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/internal/protofresh"
	"github.com/rpcworkshop/workshop/internal/protogen"
)

// TestMain runs the tests under the workshop's watchdog: a test that blocks
// ends the run within seconds, saying where the code waits.
func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

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

// Step 3: change the contract. SayHelloAgain goes into helloworld.proto,
// then into the generated code.

func TestStep3_SayHelloAgain(t *testing.T) {
	got, want := yourProto(t), canonical(t)
	reportProblems(t, "helloworld.proto", methodProblems(got, want, "SayHelloAgain"))
	reportProblems(t, "helloworld.proto is not yet the Greeter's contract", contractProblems(got, want))
}

func TestStep3_SayHelloAgainGenerated(t *testing.T) {
	got, want := generated(t), canonical(t)
	if problems := methodProblems(got, want, "SayHelloAgain"); len(problems) > 0 {
		t.Fatal("the generated code has no SayHelloAgain yet: add it to helloworld.proto (go test -run Step3 says how), then run go generate.")
	}
	requireDeclared(t, "helloworld_grpc.pb.go",
		"Greeter_SayHelloAgain_FullMethodName", "GreeterClient.SayHelloAgain",
		"GreeterServer.SayHelloAgain", "UnimplementedGreeterServer.SayHelloAgain")
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

// requireDeclared fails the test unless the generated Go files declare
// every name: a type, func, const or var, or "Type.Method" for a method
// or an interface's method.
func requireDeclared(t *testing.T, file string, names ...string) {
	t.Helper()
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("%s is missing: the plugin protoc-gen-%s writes it.\nRun go generate in this folder (it runs both Go plugins, through protoc when it is installed) and read what it prints.",
			file, pluginOf(file))
	}
	declared := declaredInGeneratedCode(t)
	var missing []string
	for _, name := range names {
		if !declared[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("the generated code does not declare %s: run go generate, and check that helloworld.proto passes go test -run \"Step1|Step3\".",
			strings.Join(missing, ", "))
	}
}

// pluginOf names the protoc plugin that writes a generated file.
func pluginOf(file string) string {
	if strings.HasSuffix(file, "_grpc.pb.go") {
		return "go-grpc"
	}
	return "go"
}

// declaredInGeneratedCode returns the names the *.pb.go files here declare.
func declaredInGeneratedCode(t *testing.T) map[string]bool {
	t.Helper()
	files, _ := filepath.Glob("*.pb.go")
	declared := map[string]bool{}
	fset := token.NewFileSet()
	for _, path := range files {
		f, err := parser.ParseFile(fset, testkit.Path(path), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s does not parse: %v\nRun go generate to write it again.", path, err)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					declared[d.Name.Name] = true
					continue
				}
				recv := d.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				if id, ok := recv.(*ast.Ident); ok {
					declared[id.Name+"."+d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						declared[s.Name.Name] = true
						if iface, ok := s.Type.(*ast.InterfaceType); ok {
							for _, m := range iface.Methods.List {
								for _, n := range m.Names {
									declared[s.Name.Name+"."+n.Name] = true
								}
							}
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							declared[n.Name] = true
						}
					}
				}
			}
		}
	}
	return declared
}
