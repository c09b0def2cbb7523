// Command protogen regenerates Go code from .proto files with the plugins
// pinned in go.mod. It is what the //go:generate lines of this workshop run:
//
//	//go:generate go run github.com/rpcworkshop/workshop/cmd/protogen helloworld.proto
//
// With protoc on PATH it runs protoc, which parses the .proto files into
// descriptors and hands them to each plugin. Without protoc it does
// protoc's part in Go, for the same code. -with chooses the path, and
// -request prints what the plugins receive.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/rpcworkshop/workshop/internal/protogen"
	"google.golang.org/protobuf/encoding/prototext"
)

func main() {
	with := flag.String("with", "auto", "`compiler`: protoc, go (compile the .proto in Go, no protoc needed) or auto (protoc when it is on PATH, else go)")
	request := flag.Bool("request", false, "print the request the plugins receive (the compiled descriptors, without source info) instead of generating")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: protogen [-with protoc|go|auto] [-request] file.proto ...")
		fmt.Fprintln(os.Stderr, "Generates Go code with protoc-gen-go and protoc-gen-go-grpc (pinned in go.mod),")
		fmt.Fprintln(os.Stderr, "writing the .pb.go files beside each .proto file.")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	files := flag.Args()
	if *request {
		printRequest(files)
		return
	}
	err := protogen.UseProtoc()
	switch {
	case *with == "protoc" && errors.Is(err, protogen.ErrNoProtoc):
		fmt.Fprintln(os.Stderr, protogen.InstallAdvice)
		os.Exit(1)
	case *with == "protoc" || *with == "auto" && err == nil:
		runProtoc(files)
	case *with == "go" || *with == "auto":
		if errors.Is(err, protogen.ErrNoProtoc) && *with == "auto" {
			fmt.Println("protoc is not on PATH, so protogen does its part in Go:")
		} else if *with == "auto" {
			fmt.Printf("%v; protogen does its part in Go instead:\n", err)
		}
		fmt.Printf("compile %s into descriptors (protocompile), hand them to protoc-gen-go and protoc-gen-go-grpc\n", strings.Join(files, " "))
		if err := protogen.GenerateGo(".", ".", nil, files...); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	default:
		fmt.Fprintf(os.Stderr, "protogen: -with %s: want protoc, go or auto\n", *with)
		os.Exit(2)
	}
}

// runProtoc prints the protoc command it runs, then runs it.
func runProtoc(files []string) {
	cmd, err := protogen.Command(".", ".", files...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "protogen:", err)
		os.Exit(1)
	}
	fmt.Println("protoc", strings.Join(shorten(cmd.Args[1:]), " "))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "protogen: protoc failed:", err)
		os.Exit(1)
	}
}

// printRequest prints the request a plugin receives for files, compiled in
// Go, without the source info (positions and comments), which is long.
func printRequest(files []string) {
	req, err := protogen.Request(".", nil, files...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req.Parameter = new("paths=source_relative")
	req.SourceFileDescriptors = nil // the files to generate again, with source-only options
	for _, fd := range req.ProtoFile {
		fd.SourceCodeInfo = nil
	}
	fmt.Print(prototext.MarshalOptions{Multiline: true}.Format(req))
}

// shorten replaces the long build-cache paths of the plugins with the
// command that finds them, so the printed command reads like one a person
// would type.
func shorten(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if name, _, ok := strings.Cut(strings.TrimPrefix(a, "--plugin="), "="); ok && strings.HasPrefix(a, "--plugin=") {
			a = "--plugin=" + name + "=$(go tool -n " + name + ")"
		}
		out[i] = a
	}
	return out
}
