// Command snapshot writes internal/skeleton/skeleton.txtar, the pristine
// copy of every written chapter that "workshop reset" restores. Run it
// through go generate ./internal/skeleton after changing a skeleton; with
// -check it only reports whether the archive is stale (exit code 1).
package main

import (
	"flag"
	"fmt"
	"os"

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
	c, err := course.Load(root)
	if err != nil {
		return err
	}
	var dirs []string
	for _, ch := range c.Chapters {
		if ch.Present() {
			dirs = append(dirs, ch.Dir)
		}
	}
	if !check {
		if err := skeleton.Write(root, dirs); err != nil {
			return err
		}
		files, err := skeleton.Load(root)
		if err != nil {
			return err
		}
		fmt.Printf("wrote %s:\n", skeleton.File)
		for _, dir := range dirs {
			fmt.Printf("  %s: %d files\n", dir, len(files.Chapter(dir)))
		}
		return nil
	}
	stale, err := skeleton.Stale(root, dirs)
	if err != nil {
		return err
	}
	if len(stale) > 0 {
		return fmt.Errorf("%s is stale: %v differ; run go generate ./internal/skeleton", skeleton.File, stale)
	}
	fmt.Printf("%s matches the %d written chapters\n", skeleton.File, len(dirs))
	return nil
}
