package helloworld

// Helpers shared by the tests of steps 1 to 3: they compare a descriptor
// (compiled from your helloworld.proto, or embedded in the generated code)
// with the workshop's canonical Greeter, and say in words what differs.

import (
	"fmt"
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
	"github.com/rpcworkshop/workshop/internal/testkit"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/descriptorpb"
)

// protoFile is the contract you write in this chapter.
const protoFile = "helloworld.proto"

// canonical returns the descriptor of the workshop's own Greeter
// (helloworld/helloworld.proto at the root), without its go_package and
// without the streaming methods, which chapter 06 adds: this chapter's
// Greeter has the unary SayHello and SayHelloAgain.
func canonical(t *testing.T) *descriptorpb.FileDescriptorProto {
	t.Helper()
	path := filepath.Join(testkit.Root(t), "helloworld", "helloworld.proto")
	fd, err := protofresh.Compile(path)
	if err != nil {
		t.Fatalf("the workshop's own %s does not compile: %v\nRestore it with git checkout.", path, err)
	}
	fd.Options = nil
	for _, s := range fd.GetService() {
		s.Method = slices.DeleteFunc(s.Method, func(m *descriptorpb.MethodDescriptorProto) bool {
			return m.GetClientStreaming() || m.GetServerStreaming()
		})
	}
	return fd
}

// yourProto compiles your helloworld.proto, or stops the test with the
// compiler's message.
func yourProto(t *testing.T) *descriptorpb.FileDescriptorProto {
	t.Helper()
	fd, err := protofresh.Compile(testkit.Path(protoFile))
	if err != nil {
		t.Fatalf("helloworld.proto does not compile:\n%v\nFix the line the error names, then run go test again.", err)
	}
	return fd
}

// generated returns the descriptor embedded in the generated Go code, after
// checking that the code was generated from the helloworld.proto that is
// here now: otherwise the test stops and says to run go generate.
func generated(t *testing.T) *descriptorpb.FileDescriptorProto {
	t.Helper()
	if changed := staleParts(t); len(changed) > 0 {
		t.Fatal("you edited helloworld.proto but did not regenerate: run go generate in this folder, then go test again.")
	}
	return protodesc.ToFileDescriptorProto(File_helloworld_proto)
}

// staleParts compiles helloworld.proto and names the parts of it that
// differ from the descriptor embedded in the generated code: none when the
// code is fresh.
func staleParts(t *testing.T) []string {
	t.Helper()
	fromProto := yourProto(t)
	fromCode := protodesc.ToFileDescriptorProto(File_helloworld_proto)
	fromCode.SourceCodeInfo = nil
	return changedParts(fromCode, fromProto)
}

// changedParts names the top-level parts of two descriptors that differ:
// "message HelloReply", "service Greeter", "option go_package", ...
func changedParts(a, b *descriptorpb.FileDescriptorProto) []string {
	var parts []string
	if a.GetSyntax() != b.GetSyntax() {
		parts = append(parts, "syntax")
	}
	if a.GetPackage() != b.GetPackage() {
		parts = append(parts, "package")
	}
	if !proto.Equal(a.GetOptions(), b.GetOptions()) {
		parts = append(parts, "options (go_package)")
	}
	if !slices.Equal(a.GetDependency(), b.GetDependency()) {
		parts = append(parts, "imports")
	}
	parts = append(parts, changedByName("message", a.GetMessageType(), b.GetMessageType())...)
	parts = append(parts, changedByName("enum", a.GetEnumType(), b.GetEnumType())...)
	parts = append(parts, changedByName("service", a.GetService(), b.GetService())...)
	if len(parts) == 0 && !proto.Equal(a, b) {
		parts = append(parts, "details")
	}
	return parts
}

type named interface {
	proto.Message
	GetName() string
}

// changedByName names the elements of a and b that are in only one of
// them, or differ.
func changedByName[T named](kind string, a, b []T) []string {
	var parts []string
	for _, x := range a {
		i := slices.IndexFunc(b, func(y T) bool { return y.GetName() == x.GetName() })
		if i < 0 || !proto.Equal(x, b[i]) {
			parts = append(parts, kind+" "+x.GetName())
		}
	}
	for _, y := range b {
		if !slices.ContainsFunc(a, func(x T) bool { return x.GetName() == y.GetName() }) {
			parts = append(parts, kind+" "+y.GetName())
		}
	}
	return parts
}

// reportProblems fails the test with one line per problem, then stops.
func reportProblems(t *testing.T, where string, problems []string) {
	t.Helper()
	if len(problems) > 0 {
		t.Fatalf("%s:\n  %s", where, strings.Join(problems, "\n  "))
	}
}

// headerProblems checks syntax and package.
func headerProblems(got *descriptorpb.FileDescriptorProto) []string {
	var problems []string
	if got.GetSyntax() != "proto3" {
		problems = append(problems, fmt.Sprintf(`syntax is %q, want "proto3": the first line is syntax = "proto3";`, got.GetSyntax()))
	}
	if got.GetPackage() != "helloworld" {
		problems = append(problems, fmt.Sprintf("package is %q, want helloworld: it is the first part of every name on the wire, as in /helloworld.Greeter/SayHello", got.GetPackage()))
	}
	return problems
}

// messageProblems compares the message called name in got with the one in
// want, field by field.
func messageProblems(got, want *descriptorpb.FileDescriptorProto, name string) []string {
	w := findByName(want.GetMessageType(), name)
	g := findByName(got.GetMessageType(), name)
	if g == nil {
		return []string{fmt.Sprintf("message %s is missing%s", name, foundNames(got.GetMessageType()))}
	}
	var problems []string
	for _, wf := range w.GetField() {
		gf := findByName(g.GetField(), wf.GetName())
		if gf == nil {
			problems = append(problems, fmt.Sprintf("%s has no field %q (want: %s)", name, wf.GetName(), fieldDecl(wf)))
			continue
		}
		where := name + "." + wf.GetName()
		if gf.GetNumber() != wf.GetNumber() {
			problems = append(problems, fmt.Sprintf("%s: field number is %d, want %d (the number, not the name, is what goes on the wire)", where, gf.GetNumber(), wf.GetNumber()))
		}
		if fieldType(gf) != fieldType(wf) {
			problems = append(problems, fmt.Sprintf("%s: type is %s, want %s", where, fieldType(gf), fieldType(wf)))
		}
		if gf.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED {
			problems = append(problems, fmt.Sprintf(`%s: is repeated, want a single %s: remove "repeated"`, where, fieldType(wf)))
		}
		if gf.GetProto3Optional() {
			problems = append(problems, fmt.Sprintf(`%s: is optional, want a plain field: remove "optional"`, where))
		}
	}
	for _, gf := range g.GetField() {
		if findByName(w.GetField(), gf.GetName()) == nil {
			problems = append(problems, fmt.Sprintf("%s.%s: unexpected field: the Greeter's %s has only %s", name, gf.GetName(), name, fieldDecls(w)))
		}
	}
	if len(problems) == 0 {
		if diff := cmp.Diff(w, g, protocmp.Transform()); diff != "" {
			problems = append(problems, fmt.Sprintf("message %s differs from the Greeter's (-want +got):\n%s", name, diff))
		}
	}
	return problems
}

// methodProblems compares the Greeter method called name in got with the
// one in want.
func methodProblems(got, want *descriptorpb.FileDescriptorProto, name string) []string {
	ws := findByName(want.GetService(), "Greeter")
	wm := findByName(ws.GetMethod(), name)
	gs := findByName(got.GetService(), "Greeter")
	if gs == nil {
		return []string{"service Greeter is missing" + foundNames(got.GetService())}
	}
	gm := findByName(gs.GetMethod(), name)
	if gm == nil {
		return []string{fmt.Sprintf("service Greeter has no rpc %s (want: %s)%s", name, methodDecl(wm), foundNames(gs.GetMethod()))}
	}
	var problems []string
	where := "Greeter." + name
	if gm.GetInputType() != wm.GetInputType() {
		problems = append(problems, fmt.Sprintf("%s takes %s, want %s", where, shortName(gm.GetInputType()), shortName(wm.GetInputType())))
	}
	if gm.GetOutputType() != wm.GetOutputType() {
		problems = append(problems, fmt.Sprintf("%s returns %s, want %s", where, shortName(gm.GetOutputType()), shortName(wm.GetOutputType())))
	}
	if gm.GetClientStreaming() || gm.GetServerStreaming() {
		problems = append(problems, fmt.Sprintf(`%s streams, want a unary call (one request, one reply): remove "stream"`, where))
	}
	if len(problems) == 0 {
		if diff := cmp.Diff(wm, gm, protocmp.Transform()); diff != "" {
			problems = append(problems, fmt.Sprintf("rpc %s differs from the Greeter's (-want +got):\n%s", name, diff))
		}
	}
	return problems
}

// extraProblems lists what got declares beyond want: messages, enums,
// services, methods and imports the Greeter does not have.
func extraProblems(got, want *descriptorpb.FileDescriptorProto) []string {
	var problems []string
	for _, m := range got.GetMessageType() {
		if findByName(want.GetMessageType(), m.GetName()) == nil {
			problems = append(problems, fmt.Sprintf("message %s: unexpected, the Greeter has only HelloRequest and HelloReply", m.GetName()))
		}
	}
	for _, e := range got.GetEnumType() {
		problems = append(problems, fmt.Sprintf("enum %s: unexpected, the Greeter has no enums", e.GetName()))
	}
	for _, s := range got.GetService() {
		if s.GetName() != "Greeter" {
			problems = append(problems, fmt.Sprintf("service %s: unexpected, the file has one service, Greeter", s.GetName()))
			continue
		}
		for _, m := range s.GetMethod() {
			if findByName(findByName(want.GetService(), "Greeter").GetMethod(), m.GetName()) == nil {
				problems = append(problems, fmt.Sprintf("rpc %s: unexpected, the Greeter has only SayHello and SayHelloAgain", m.GetName()))
			}
		}
	}
	for _, d := range got.GetDependency() {
		problems = append(problems, fmt.Sprintf("import %q: unexpected, the Greeter needs no imports", d))
	}
	return problems
}

// contractProblems compares got with the whole canonical Greeter, ignoring
// go_package and comments.
func contractProblems(got, want *descriptorpb.FileDescriptorProto) []string {
	problems := headerProblems(got)
	problems = append(problems, messageProblems(got, want, "HelloRequest")...)
	problems = append(problems, messageProblems(got, want, "HelloReply")...)
	problems = append(problems, methodProblems(got, want, "SayHello")...)
	problems = append(problems, methodProblems(got, want, "SayHelloAgain")...)
	problems = append(problems, extraProblems(got, want)...)
	if len(problems) > 0 {
		return problems
	}
	g := proto.Clone(got).(*descriptorpb.FileDescriptorProto)
	g.Options, g.SourceCodeInfo = nil, nil
	if diff := cmp.Diff(want, g, protocmp.Transform()); diff != "" {
		problems = append(problems, "helloworld.proto differs from the Greeter's (-want +got):\n"+diff)
	}
	return problems
}

func findByName[T named](list []T, name string) T {
	var zero T
	for _, x := range list {
		if x.GetName() == name {
			return x
		}
	}
	return zero
}

// foundNames says which names there are instead, to catch a typo.
func foundNames[T named](list []T) string {
	if len(list) == 0 {
		return ""
	}
	var names []string
	for _, x := range list {
		names = append(names, x.GetName())
	}
	return " (found: " + strings.Join(names, ", ") + ")"
}

// fieldType is a field's type as written in a .proto: string, int32, or a
// message name.
func fieldType(f *descriptorpb.FieldDescriptorProto) string {
	if f.GetTypeName() != "" {
		return shortName(f.GetTypeName())
	}
	return strings.ToLower(strings.TrimPrefix(f.GetType().String(), "TYPE_"))
}

func fieldDecl(f *descriptorpb.FieldDescriptorProto) string {
	return fmt.Sprintf("%s %s = %d;", fieldType(f), f.GetName(), f.GetNumber())
}

func fieldDecls(m *descriptorpb.DescriptorProto) string {
	var decls []string
	for _, f := range m.GetField() {
		decls = append(decls, fieldDecl(f))
	}
	return strings.Join(decls, " ")
}

func methodDecl(m *descriptorpb.MethodDescriptorProto) string {
	return fmt.Sprintf("rpc %s(%s) returns (%s) {}", m.GetName(), shortName(m.GetInputType()), shortName(m.GetOutputType()))
}

// shortName turns ".helloworld.HelloRequest" into "HelloRequest".
func shortName(full string) string {
	return strings.TrimPrefix(full, ".helloworld.")
}

// wantGoPackage is the go_package this folder's helloworld.proto needs:
// this folder's import path, and the Go package name helloworld.
func wantGoPackage(t *testing.T) string {
	t.Helper()
	root := testkit.Root(t)
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	module, _, _ := strings.Cut(strings.TrimPrefix(string(mod), "module "), "\n")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(root, wd)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(module) + "/" + filepath.ToSlash(rel) + ";helloworld"
}

// TestMain runs the tests under the workshop's watchdog: a test that blocks
// ends the run within seconds, saying where the code waits.
func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

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
