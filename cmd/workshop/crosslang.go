package main

import (
	"runtime"
	"strings"

	"github.com/rpcworkshop/workshop/internal/gotest"
)

// crossLanguageSkip is how a cross-language test (testkit.Python) says it
// skipped for want of a Python with grpc.
const crossLanguageSkip = "SKIPPED the cross-language check"

// crossLanguageSkipped returns "cross-language check skipped: <how to
// enable it>" when one of tests is a cross-language test that skipped, and
// "" otherwise: such a step counts as done, but part of it was not checked.
func crossLanguageSkipped(tests []*gotest.Test) string {
	for _, t := range tests {
		if strings.Contains(t.Output, crossLanguageSkip) {
			install := "python3 -m pip install grpcio"
			if runtime.GOOS == "windows" {
				install = "py -3 -m pip install grpcio"
			}
			return "cross-language check skipped: install Python's grpc (" + install + "), then check again"
		}
	}
	return ""
}

// crossLanguageSkipped is the first of the chapter's steps that is done
// with its cross-language check skipped, or "".
func (cs chapterState) crossLanguageSkipped() string {
	for _, s := range cs.steps {
		if why := crossLanguageSkipped(s.skipped); s.done && why != "" {
			return why
		}
	}
	return ""
}
