package protogen

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rpcworkshop/workshop/internal/course"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/pluginpb"
)

// TestMain lets the test binary stand in for a protoc plugin: run by protoc
// with PROTOGEN_CAPTURE set, it saves the request protoc sends there.
func TestMain(m *testing.M) {
	if path := os.Getenv("PROTOGEN_CAPTURE"); path != "" {
		req, _ := io.ReadAll(os.Stdin)
		if err := os.WriteFile(path, req, 0o666); err != nil {
			os.Exit(1)
		}
		// An answer with no files that says the plugin reads proto3 optional.
		answer, _ := proto.Marshal(&pluginpb.CodeGeneratorResponse{
			SupportedFeatures: proto.Uint64(uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL)),
		})
		os.Stdout.Write(answer)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// protoFiles returns every .proto file of the workshop, relative to root.
func protoFiles(t *testing.T) (root string, files []string) {
	t.Helper()
	root, err := course.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, ".proto") {
			rel, _ := filepath.Rel(root, path)
			files = append(files, rel)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("found no .proto file in the workshop")
	}
	return root, files
}

func needProtoc(t *testing.T) {
	t.Helper()
	if _, _, err := Protoc(); errors.Is(err, ErrNoProtoc) {
		t.Skip("SKIPPED: protoc is not installed, so there is nothing to compare the Go path with; " +
			"TestGoPathKeepsCommittedCode still shows it regenerates the committed code")
	}
}

// TestRequestIsProtocs captures the request protoc hands a plugin for every
// .proto of the workshop and compares it with the one Request builds.
func TestRequestIsProtocs(t *testing.T) {
	needProtoc(t)
	protoc, _, _ := Protoc()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root, files := protoFiles(t)
	for _, rel := range files {
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			t.Parallel() // each waits on its own protoc, which starts this test binary as its plugin
			dir, name := filepath.Split(filepath.Join(root, rel))
			capture := filepath.Join(t.TempDir(), "request.bin")
			cmd := exec.Command(protoc, "-I", ".", "--plugin=protoc-gen-capture="+self,
				"--capture_out=paths=source_relative:"+t.TempDir(), name)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PROTOGEN_CAPTURE="+capture)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("protoc: %v\n%s", err, out)
			}
			data, err := os.ReadFile(capture)
			if err != nil {
				t.Fatal(err)
			}
			want := &pluginpb.CodeGeneratorRequest{}
			if err := proto.Unmarshal(data, want); err != nil {
				t.Fatal(err)
			}
			got, err := Request(dir, want.CompilerVersion, name)
			if err != nil {
				t.Fatalf("Request: %v", err)
			}
			got.Parameter = proto.String("paths=source_relative")
			// protoc 22 and later also send source_file_descriptors; older
			// ones do not. No plugin of this workshop reads them.
			if len(want.SourceFileDescriptors) == 0 {
				got.SourceFileDescriptors = nil
			}
			// protoc keeps the CR of a .proto checked out with CRLF in its
			// comments (the plugins drop it); Request reads the .proto as LF.
			for _, fd := range want.ProtoFile {
				for _, loc := range fd.GetSourceCodeInfo().GetLocation() {
					loc.LeadingComments = withoutCR(loc.LeadingComments)
					loc.TrailingComments = withoutCR(loc.TrailingComments)
					for i, c := range loc.LeadingDetachedComments {
						loc.LeadingDetachedComments[i] = *withoutCR(&c)
					}
				}
			}
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("the request built in Go differs from protoc's (-protoc +Go):\n%s", diff)
			}
		})
	}
}

// withoutCR returns s with each CRLF made LF, or nil for nil.
func withoutCR(s *string) *string {
	if s == nil {
		return nil
	}
	return proto.String(strings.ReplaceAll(*s, "\r\n", "\n"))
}

// generating returns the .proto files that generate Go code: those whose
// folder holds a //go:generate line running cmd/protogen.
func generating(t *testing.T) (root string, files []string) {
	t.Helper()
	root, all := protoFiles(t)
	for _, rel := range all {
		src, _ := os.ReadFile(filepath.Join(root, filepath.Dir(rel), "generate.go"))
		if bytes.Contains(src, []byte("cmd/protogen "+filepath.Base(rel))) {
			files = append(files, rel)
		}
	}
	if len(files) == 0 {
		t.Fatal("found no generate.go that runs cmd/protogen")
	}
	return root, files
}

// TestGoPathGivesProtocsCode generates the code of every .proto of the
// workshop with protoc and in Go, and expects the same files, byte for
// byte, but for the line naming protoc's version.
func TestGoPathGivesProtocsCode(t *testing.T) {
	needProtoc(t)
	root, files := generating(t)
	for _, rel := range files {
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			dir, name := filepath.Split(filepath.Join(root, rel))
			if err := Agree(dir, name); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestGoPathKeepsCommittedCode regenerates every .proto in Go, without
// protoc, into a copy of its folder and expects the committed files back
// unchanged, the version line included.
func TestGoPathKeepsCommittedCode(t *testing.T) {
	root, files := generating(t)
	for _, rel := range files {
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			dir, name := filepath.Split(filepath.Join(root, rel))
			tmp := t.TempDir()
			committed := map[string][]byte{}
			matches, _ := filepath.Glob(filepath.Join(dir, "*"))
			for _, path := range matches {
				base := filepath.Base(path)
				if !strings.HasSuffix(base, ".proto") && !strings.HasSuffix(base, ".pb.go") {
					continue
				}
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasSuffix(base, ".pb.go") {
					committed[base] = data
				}
				if err := os.WriteFile(filepath.Join(tmp, base), data, 0o666); err != nil {
					t.Fatal(err)
				}
			}
			if err := GenerateGo(tmp, ".", nil, name); err != nil {
				t.Fatal(err)
			}
			for base, want := range committed {
				got, _ := os.ReadFile(filepath.Join(tmp, base))
				want = bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n"))
				if !bytes.Equal(want, got) {
					t.Errorf("%s: regenerating %s in Go changes the committed file (first difference at line %d): run go generate in %s and commit the result",
						base, name, firstDifference(want, got), filepath.Dir(rel))
				}
			}
		})
	}
}

// TestGoPathErrorsArePositionedLikeProtocs compiles broken .proto files in
// Go and expects each error at the file:line:column protoc names; with
// protoc installed it checks that protoc names the same places.
func TestGoPathErrorsArePositionedLikeProtocs(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string // the start of each error line
	}{
		{"syntax", "syntax = \"proto3\";\npackage bad;\n\nmessage A {\n  string name = 1\n  int32 n = 2;\n}\n",
			[]string{"bad.proto:6:3: "}},
		{"unknown-type", "syntax = \"proto3\";\npackage bad;\n\nmessage A {\n  Missing m = 1;\n  string s = 2;\n}\n",
			[]string{"bad.proto:5:3: "}},
		{"missing-import", "syntax = \"proto3\";\npackage bad;\n\nimport \"nowhere.proto\";\n\nmessage A {\n  string s = 1;\n}\n",
			[]string{"nowhere.proto: File not found.", `bad.proto:4:1: Import "nowhere.proto" was not found or had errors.`}},
		{"two-errors-crlf", "syntax = \"proto3\";\r\npackage bad;\r\n\r\nmessage A {\r\n  Missing m = 1;\r\n  Unknown u = 2;\r\n}\r\n",
			[]string{"bad.proto:5:3: ", "bad.proto:6:3: "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "bad.proto"), []byte(tc.src), 0o666); err != nil {
				t.Fatal(err)
			}
			_, err := Request(dir, nil, "bad.proto")
			if err == nil {
				t.Fatal("Request compiled a broken .proto without an error")
			}
			checkLines(t, "the Go path", err.Error(), tc.want)
			if protoc, _, err := Protoc(); err == nil {
				cmd := exec.Command(protoc, "-I", ".", "--descriptor_set_out="+filepath.Join(dir, "out.pb"), "bad.proto")
				cmd.Dir = dir
				out, _ := cmd.CombinedOutput()
				checkLines(t, "protoc", string(out), tc.want)
			}
		})
	}
}

// checkLines expects one line of got to start with each of want, in order.
func checkLines(t *testing.T, who, got string, want []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != len(want) {
		t.Errorf("%s reports %d errors, want %d:\n%s", who, len(lines), len(want), got)
		return
	}
	for i, prefix := range want {
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("%s: error %d is %q, want it to start with %q", who, i+1, lines[i], prefix)
		}
	}
}

// TestGenerateWithoutProtocOnPath runs Generate with a PATH that holds go
// but no protoc, as on a laptop that never installed it, and expects the
// committed code of the canonical Greeter back.
func TestGenerateWithoutProtocOnPath(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("SKIPPED: go is not on PATH")
	}
	t.Setenv("PATH", filepath.Dir(goBin))
	if err := UseProtoc(); !errors.Is(err, ErrNoProtoc) {
		t.Skipf("SKIPPED: protoc sits beside go in %s, so no PATH has go without protoc", filepath.Dir(goBin))
	}
	root, err := course.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(root, "solutions", "03-codegen")
	tmp := t.TempDir()
	for _, name := range []string{"helloworld.proto", "helloworld.pb.go", "helloworld_grpc.pb.go"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	if err := Generate(tmp, ".", "helloworld.proto"); err != nil {
		t.Fatalf("Generate without protoc on PATH: %v", err)
	}
	for _, name := range []string{"helloworld.pb.go", "helloworld_grpc.pb.go"} {
		want, _ := os.ReadFile(filepath.Join(src, name))
		want = bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n"))
		got, _ := os.ReadFile(filepath.Join(tmp, name))
		if !bytes.Equal(want, got) {
			t.Errorf("%s: Generate without protoc changed the committed file (first difference at line %d)", name, firstDifference(want, got))
		}
	}
}
