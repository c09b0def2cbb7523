package skeleton

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseToleratesCRLF(t *testing.T) {
	lf := []byte("-- 01-a/a.go --\npackage a\n\nfunc A() {}\n-- 01-a/b.md --\n# B\n")
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	if diff := cmp.Diff(Parse(lf), Parse(crlf)); diff != "" {
		t.Errorf("an archive with CRLF line ends reads differently from the same archive with LF (-LF +CRLF):\n%s", diff)
	}
}
