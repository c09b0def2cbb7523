// Command snapshot writes internal/skeleton/skeleton.txtar, the original
// version of every student file that "workshop reset" restores. Run it
// through go generate ./internal/skeleton after changing a skeleton; with
// -check it only reports whether the archive is stale (exit code 1).
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/skeleton"
)

func main() {
	check := flag.Bool("check", false, "only report whether "+skeleton.File+" matches the chapters")
	flag.Parse()
	if err := run(*check); err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		os.Exit(1)
	}
}

func run(check bool) error {
	root, err := course.FindRoot(".")
	if err != nil {
		return err
	}
	if check {
		stale, err := skeleton.Stale(root)
		if err != nil {
			return err
		}
		if len(stale) > 0 {
			return fmt.Errorf("%s is stale, these files differ:\n  %s\nrun go generate ./internal/skeleton", skeleton.File, strings.Join(stale, "\n  "))
		}
		fmt.Printf("%s matches the student files of every chapter\n", skeleton.File)
		return nil
	}
	files, err := skeleton.Write(root)
	if err != nil {
		return err
	}
	size := 0
	for _, data := range files {
		size += len(data)
	}
	fmt.Printf("wrote %s: %d files (student and shared), %d KB\n", skeleton.File, len(files), (size+1023)/1024)
	return nil
}
