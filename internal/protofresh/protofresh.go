// Package protofresh tells whether generated Go code is still in step with
// the .proto file it came from, without protoc: it compiles the .proto in
// pure Go and compares the result with the descriptor embedded in the
// generated code.
package protofresh

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bufbuild/protocompile"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/descriptorpb"
)

// Compile compiles the .proto file at path and returns its descriptor, as
// protoc would hand it to a plugin, without source locations.
func Compile(path string) (*descriptorpb.FileDescriptorProto, error) {
	dir, name := filepath.Split(path)
	compiler := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			ImportPaths: []string{filepath.Clean(dir)},
		}),
	}
	files, err := compiler.Compile(context.Background(), name)
	if err != nil {
		return nil, err
	}
	fd := protodesc.ToFileDescriptorProto(files[0])
	fd.SourceCodeInfo = nil
	return fd, nil
}

// Diff compiles the .proto file at path and compares it with generated, the
// descriptor embedded in the generated Go code (for example
// helloworld.File_helloworld_proto). It returns "" when they agree, and
// otherwise a cmp.Diff of (-generated +proto).
func Diff(path string, generated protoreflect.FileDescriptor) (string, error) {
	fromProto, err := Compile(path)
	if err != nil {
		return "", err
	}
	fromCode := protodesc.ToFileDescriptorProto(generated)
	fromCode.SourceCodeInfo = nil
	return cmp.Diff(fromCode, fromProto, protocmp.Transform()), nil
}

// Check fails the test when the .proto file at path has changed since the Go
// code holding generated was produced from it.
func Check(t testing.TB, path string, generated protoreflect.FileDescriptor) {
	t.Helper()
	diff, err := Diff(path, generated)
	if err != nil {
		t.Fatalf("%s does not compile: %v\nFix the .proto file, then run go generate in its folder.", path, err)
	}
	if diff != "" {
		t.Fatalf("%s was edited but its Go code was not regenerated: run go generate in %s.\nWhat changed (-generated +proto):\n%s",
			path, filepath.Dir(path), diff)
	}
}
