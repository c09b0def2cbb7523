package main

import (
	"context"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/testkit"
)

// The workshop command parses the flags of verify and docs itself: -h
// explains them, and a wrong flag or argument is a usage error (exit 2).
func TestVerifyAndDocsFlags(t *testing.T) {
	t.Parallel()
	root := testkit.Root(t)
	for _, tt := range []struct {
		args []string
		want int
		says string
	}{
		{[]string{"docs", "-h"}, exitOK, "usage: go run ./cmd/workshop docs"},
		{[]string{"docs", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"docs", "-port", "1"}, exitUsage, "flag provided but not defined: -port"},
		{[]string{"verify", "-h"}, exitOK, "usage: go run ./cmd/workshop verify"},
		{[]string{"verify", "-count"}, exitUsage, "flag needs an argument: -count"},
		{[]string{"verify", "now"}, exitUsage, `unexpected argument "now"`},
		{[]string{"verify", "-chapter", "99", "-q"}, exitUsage, `no chapter "99"`},
	} {
		var stdout, stderr testkit.SyncBuffer
		code := run(context.Background(), tt.args, root, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
		if code != tt.want || !strings.Contains(stderr.String(), tt.says) {
			t.Errorf("workshop %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tt.args, " "), code, stderr.String(), tt.want, tt.says)
		}
	}
}
