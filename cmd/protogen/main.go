// Command protogen regenerates Go code from .proto files with the system's
// protoc and the plugins pinned in go.mod. It is what the //go:generate
// lines of this workshop run:
//
//	//go:generate go run github.com/rpcworkshop/workshop/cmd/protogen helloworld.proto
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/rpcworkshop/workshop/internal/protogen"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: protogen file.proto ...")
		fmt.Fprintln(os.Stderr, "Runs protoc with protoc-gen-go and protoc-gen-go-grpc (pinned in go.mod),")
		fmt.Fprintln(os.Stderr, "writing the generated .pb.go files beside each .proto file.")
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	cmd, err := protogen.Command(".", ".", flag.Args()...)
	if errors.Is(err, protogen.ErrNoProtoc) {
		fmt.Fprintln(os.Stderr, protogen.InstallAdvice)
		os.Exit(1)
	}
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
