// Package protogen regenerates Go code from .proto files with the two Go
// plugins pinned in go.mod, so that nothing is installed globally. With
// protoc on PATH it runs protoc; without it, it does protoc's part in Go:
// it compiles the .proto files into descriptors (with protocompile), builds
// the request protoc would hand each plugin, runs the plugins with it and
// writes the files they answer. Both paths give the same code. cmd/protogen
// (used by //go:generate lines) and the workshop's verify command share it.
package protogen

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// InstallAdvice is what a student reads when protoc is not on PATH.
const InstallAdvice = `protoc, the protocol buffer compiler, is not on your PATH.
Install it with your system's package manager:
  Debian/Ubuntu:  sudo apt-get install -y protobuf-compiler
  macOS:          brew install protobuf
  Windows:        winget install protobuf   (or choco install protoc)
Then check it with:  protoc --version   (3.15 or newer)
The Go plugins need no install: they are pinned in go.mod and run with go tool.`

// ErrNoProtoc reports that protoc is not installed.
var ErrNoProtoc = errors.New("protoc not found on PATH")

// Protoc returns the path of protoc and its version, or ErrNoProtoc.
func Protoc() (path, version string, err error) {
	path, err = exec.LookPath("protoc")
	if err != nil {
		return "", "", ErrNoProtoc
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return "", "", fmt.Errorf("protoc --version: %w", err)
	}
	return path, strings.TrimSpace(strings.TrimPrefix(string(out), "libprotoc ")), nil
}

var versionRE = regexp.MustCompile(`^(\d+)\.(\d+)`)

// RecentEnough reports whether a protoc version understands proto3
// optional fields without an experimental flag (3.15 and later; releases
// after 3.21 are numbered 22, 23, ...).
func RecentEnough(version string) bool {
	m := versionRE.FindStringSubmatch(version)
	if m == nil {
		return false
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return major > 3 || (major == 3 && minor >= 15)
}

// Command builds the protoc command that generates Go code for files,
// found relative to dir, into outDir. The plugins are the ones pinned in
// go.mod, located with "go tool -n".
func Command(dir, outDir string, files ...string) (*exec.Cmd, error) {
	protoc, version, err := Protoc()
	if err != nil {
		return nil, err
	}
	if !RecentEnough(version) {
		return nil, fmt.Errorf("protoc %s is too old: install 3.15 or newer (see protoc --version)", version)
	}
	args := []string{"-I", "."}
	for _, plugin := range []string{"protoc-gen-go", "protoc-gen-go-grpc"} {
		bin, err := goToolPath(moduleDir(dir), plugin)
		if err != nil {
			return nil, err
		}
		args = append(args, "--plugin="+plugin+"="+bin)
	}
	args = append(args,
		"--go_out="+outDir, "--go_opt=paths=source_relative",
		"--go-grpc_out="+outDir, "--go-grpc_opt=paths=source_relative",
	)
	args = append(args, files...)
	cmd := exec.Command(protoc, args...)
	cmd.Dir = dir
	return cmd, nil
}

// toolPaths remembers what go tool -n printed, by module folder and tool,
// so that generating many files asks once.
var toolPaths sync.Map

// goToolPath builds a tool pinned in go.mod and returns its binary's path.
func goToolPath(dir, tool string) (string, error) {
	key := dir + "\x00" + tool
	if path, ok := toolPaths.Load(key); ok {
		return path.(string), nil
	}
	cmd := exec.Command("go", "tool", "-n", tool)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go tool -n %s: %v: %s\n(the plugin is pinned with a tool line in go.mod; run go mod download while online)",
			tool, err, strings.TrimSpace(stderr.String()))
	}
	path := strings.TrimSpace(string(out))
	toolPaths.Store(key, path)
	return path, nil
}

// Generate regenerates Go code for files in dir, writing beside them when
// outDir is "." or into outDir: with protoc when a recent enough one is on
// PATH, otherwise in Go (GenerateGo).
func Generate(dir, outDir string, files ...string) error {
	if UseProtoc() != nil {
		return GenerateGo(dir, outDir, nil, files...)
	}
	return GenerateProtoc(dir, outDir, files...)
}

// UseProtoc returns nil when protoc is on PATH and recent enough, or else
// why it is not used: ErrNoProtoc, or an error naming its old version.
func UseProtoc() error {
	_, version, err := Protoc()
	if err != nil {
		return err
	}
	if !RecentEnough(version) {
		return fmt.Errorf("protoc %s is too old: install 3.15 or newer (see protoc --version)", version)
	}
	return nil
}

// GenerateProtoc regenerates Go code for files in dir with protoc, writing
// beside them when outDir is "." or into outDir. It returns protoc's
// combined output on failure.
func GenerateProtoc(dir, outDir string, files ...string) error {
	cmd, err := Command(dir, outDir, files...)
	if err != nil {
		return err
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return nil
}

// StripVersion removes the lines of generated code that name the protoc
// version, the only lines that may differ between two machines, and reads
// CRLF line ends (a file checked out on Windows) as LF.
func StripVersion(src []byte) []byte {
	var b bytes.Buffer
	for _, line := range strings.SplitAfter(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n") {
		if strings.HasPrefix(line, "// \tprotoc ") || strings.HasPrefix(line, "// - protoc ") {
			continue
		}
		b.WriteString(line)
	}
	return b.Bytes()
}
