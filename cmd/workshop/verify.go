package main

import (
	"os"

	"github.com/rpcworkshop/workshop/internal/verify"
)

// runVerify is "workshop verify": the one command that proves the chapter
// contract for every chapter, and the one CI runs.
func runVerify(args []string) int {
	return verify.Main(args, os.Stdout, os.Stderr)
}
