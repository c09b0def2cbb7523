package protogen

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/linker"
	"github.com/bufbuild/protocompile/options"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"
)

// A plugin is one protoc plugin and the parameter protoc hands it: what
// --NAME_out and --NAME_opt say on protoc's command line.
type plugin struct {
	name, flag, parameter string
}

// plugins are the two Go plugins pinned in go.mod, in the order protoc runs
// them.
var plugins = []plugin{
	{"protoc-gen-go", "--go_out", "paths=source_relative"},
	{"protoc-gen-go-grpc", "--go-grpc_out", "paths=source_relative"},
}

// Request compiles files (names relative to dir, as protoc -I dir sees them)
// in Go and returns the request protoc would hand a plugin: the files to
// generate, and every file they need as a descriptor with its source info
// (comments, positions), imports before the files that import them. The
// parameter is left for the caller to set, one per plugin.
//
// Errors read like protoc's, one per line: file:line:column: message.
func Request(dir string, version *pluginpb.Version, files ...string) (*pluginpb.CodeGeneratorRequest, error) {
	var errs []string
	compiler := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			ImportPaths: []string{dir},
			Accessor:    openLF,
		}),
		SourceInfoMode: protocompile.SourceInfoStandard,
		Reporter: reporter.NewReporter(func(err reporter.ErrorWithPos) error {
			errs = append(errs, protocError(dir, err))
			return nil // keep going, to report every error as protoc does
		}, nil),
	}
	compiled, err := compiler.Compile(context.Background(), files...)
	var withPos reporter.ErrorWithPos
	if len(errs) == 0 && errors.As(err, &withPos) { // a missing import stops the compiler at once
		errs = append(errs, protocError(dir, withPos))
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	if err != nil {
		return nil, err
	}
	req := &pluginpb.CodeGeneratorRequest{FileToGenerate: files, CompilerVersion: version}
	seen := map[string]bool{}
	for _, f := range compiled {
		if err := addWithImports(req, f, seen); err != nil {
			return nil, err
		}
		res, ok := f.(linker.Result)
		if !ok {
			return nil, fmt.Errorf("%s: compiled without its source", f.Path())
		}
		// Since protoc 22, plugins also get the files to generate with
		// their source-only options kept.
		req.SourceFileDescriptors = append(req.SourceFileDescriptors, res.FileDescriptorProto())
	}
	return req, nil
}

// protocError formats a compile error as protoc would: file:line:column:
// message. A missing import gets protoc's two lines, pointing at the
// import statement rather than at the file name in it.
func protocError(dir string, err reporter.ErrorWithPos) string {
	var missing *fs.PathError
	if !errors.As(err, &missing) || !errors.Is(err, fs.ErrNotExist) {
		return err.Error()
	}
	name, relErr := filepath.Rel(dir, missing.Path)
	if relErr != nil {
		name = missing.Path
	}
	pos := err.GetPosition()
	column := pos.Col
	if src, err := os.ReadFile(filepath.Join(dir, pos.Filename)); err == nil {
		lines := strings.Split(string(src), "\n")
		if pos.Line >= 1 && pos.Line <= len(lines) {
			if i := strings.Index(lines[pos.Line-1], "import"); i >= 0 && i < pos.Col {
				column = i + 1
			}
		}
	}
	return fmt.Sprintf("%s: File not found.\n%s:%d:%d: Import %q was not found or had errors.",
		filepath.ToSlash(name), pos.Filename, pos.Line, column, filepath.ToSlash(name))
}

// addWithImports appends f's descriptor to req.ProtoFile after the files it
// imports, each file once: the order protoc uses, so that a plugin has read
// every type a file refers to before the file itself.
func addWithImports(req *pluginpb.CodeGeneratorRequest, f protoreflect.FileDescriptor, seen map[string]bool) error {
	if seen[f.Path()] {
		return nil
	}
	seen[f.Path()] = true
	imports := f.Imports()
	for i := range imports.Len() {
		if err := addWithImports(req, imports.Get(i).FileDescriptor, seen); err != nil {
			return err
		}
	}
	fd := descriptorOf(f)
	stripped, err := options.StripSourceRetentionOptionsFromFile(fd)
	if err != nil {
		return fmt.Errorf("%s: %v", f.Path(), err)
	}
	req.ProtoFile = append(req.ProtoFile, stripped)
	return nil
}

// descriptorOf returns the descriptor of a compiled file: the one the
// compiler built, with source info, or for a standard import such as
// google/protobuf/timestamp.proto the one compiled into Go.
func descriptorOf(f protoreflect.FileDescriptor) *descriptorpb.FileDescriptorProto {
	if res, ok := f.(linker.Result); ok {
		return res.FileDescriptorProto()
	}
	return protodesc.ToFileDescriptorProto(f)
}

// openLF opens a .proto file with its line ends made LF, so that a file
// checked out with CRLF compiles to the same code, comments included.
func openLF(path string) (io.ReadCloser, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")))), nil
}

// RunPlugin runs a plugin pinned in go.mod (found with go tool -n from dir,
// or from the current folder when dir is outside any module) with req on
// its standard input, as protoc does, and returns its answer.
func RunPlugin(dir, name string, req *pluginpb.CodeGeneratorRequest) (*pluginpb.CodeGeneratorResponse, error) {
	bin, err := goToolPath(moduleDir(dir), name)
	if err != nil {
		return nil, err
	}
	in, err := proto.Marshal(req)
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(in), &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", name, err, stderr.Bytes())
	}
	resp := &pluginpb.CodeGeneratorResponse{}
	if err := proto.Unmarshal(stdout.Bytes(), resp); err != nil {
		return nil, fmt.Errorf("%s: its answer is not a CodeGeneratorResponse: %v", name, err)
	}
	return resp, nil
}

// moduleDir returns the folder of the go.mod in or above dir, else ".".
func moduleDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "."
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return "."
		}
	}
}

// GenerateGo does what Generate does with protoc, without protoc: it
// compiles files in Go, hands the request to both plugins and writes the
// files they answer into outDir (relative to dir), only once both have
// succeeded. version is the protoc version the generated files name; nil
// means the one already named in outDir's generated files, so that
// regenerating the same .proto leaves them unchanged.
func GenerateGo(dir, outDir string, version *pluginpb.Version, files ...string) error {
	if !filepath.IsAbs(outDir) {
		outDir = filepath.Join(dir, outDir)
	}
	if version == nil {
		version = committedVersion(outDir, files)
	}
	req, err := Request(dir, version, files...)
	if err != nil {
		return err
	}
	var out []*pluginpb.CodeGeneratorResponse_File
	for _, p := range plugins {
		req.Parameter = proto.String(p.parameter)
		resp, err := RunPlugin(dir, p.name, req)
		if err != nil {
			return err
		}
		if resp.Error != nil {
			return fmt.Errorf("%s: %s", p.flag, resp.GetError())
		}
		out = append(out, resp.File...)
	}
	for _, f := range out {
		path := filepath.Join(outDir, filepath.FromSlash(f.GetName()))
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(f.GetContent()), 0o666); err != nil {
			return err
		}
	}
	return nil
}

// versionLine is how protoc-gen-go names protoc in a generated file's header.
var versionLine = regexp.MustCompile(`^// \tprotoc +v(\d+)\.(\d+)\.(\d+)(?:-(\S+))?\r?$`)

// committedVersion reads the protoc version named by the .pb.go file
// generated earlier from the first of files, or returns nil (the plugins
// then write "(unknown)").
func committedVersion(outDir string, files []string) *pluginpb.Version {
	if len(files) == 0 {
		return nil
	}
	f, err := os.Open(filepath.Join(outDir, strings.TrimSuffix(files[0], ".proto")+".pb.go"))
	if err != nil {
		return nil
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for i := 0; i < 20 && lines.Scan(); i++ {
		if m := versionLine.FindStringSubmatch(lines.Text()); m != nil {
			v := &pluginpb.Version{Major: atoi32(m[1]), Minor: atoi32(m[2]), Patch: atoi32(m[3])}
			if m[4] != "" {
				v.Suffix = proto.String(m[4])
			}
			return v
		}
	}
	return nil
}

func atoi32(s string) *int32 {
	n, _ := strconv.Atoi(s)
	return proto.Int32(int32(n))
}
