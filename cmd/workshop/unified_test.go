package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestUnifiedDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n", "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"added to an empty file", "", "x\n", "--- old\n+++ new\n@@ -0,0 +1,1 @@\n+x\n"},
		{"no final newline", "a\n", "a", "--- old\n+++ new\n@@ -1,1 +1,1 @@\n-a\n+a\n\\ No newline at end of file\n"},
		{
			"two hunks far apart",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			"one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n",
			"--- old\n+++ new\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n",
		},
		{
			"two changes close enough to share a hunk",
			"1\n2\n3\n4\n5\n6\n7\n8\n",
			"one\n2\n3\n4\n5\n6\n7\neight\n",
			"--- old\n+++ new\n@@ -1,8 +1,8 @@\n-1\n+one\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+eight\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unifiedDiff("old", "new", tt.old, tt.new); got != tt.want {
				t.Errorf("unifiedDiff:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestUnifiedDiffApplies applies the diffs of random edits back to the old
// text: each must give the new text, and keep as many lines as it can.
func TestUnifiedDiffApplies(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		old := randomLines(rng)
		new := mutate(rng, old)
		d := unifiedDiff("old", "new", old, new)
		got, err := applyDiff(old, d)
		if err != nil || got != new {
			t.Fatalf("case %d: applying the diff failed (%v)\nold:\n%s\nnew:\n%s\ndiff:\n%s\ngot:\n%s", i, err, old, new, d, got)
		}
		if (d == "") != (old == new) {
			t.Fatalf("case %d: diff is empty = %v, texts equal = %v", i, d == "", old == new)
		}
	}
}

func randomLines(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(30) {
		fmt.Fprintf(&b, "line %d\n", rng.IntN(8))
	}
	return b.String()
}

func mutate(rng *rand.Rand, s string) string {
	lines := splitLines(s)
	for range rng.IntN(5) {
		switch i := rng.IntN(len(lines) + 1); rng.IntN(3) {
		case 0:
			lines = append(lines[:i], append([]string{"new " + strconv.Itoa(rng.IntN(9)) + "\n"}, lines[i:]...)...)
		case 1:
			if i < len(lines) {
				lines = append(lines[:i], lines[i+1:]...)
			}
		case 2:
			if i < len(lines) {
				lines[i] = "changed\n"
			}
		}
	}
	return strings.Join(lines, "")
}

// applyDiff is a small patch(1): it checks every context and removed line.
func applyDiff(old, diff string) (string, error) {
	if diff == "" {
		return old, nil
	}
	src := splitLines(old)
	var out []string
	pos := 0
	lines := strings.SplitAfter(diff, "\n")
	for k := 2; k < len(lines); k++ {
		line := lines[k]
		switch {
		case line == "":
		case strings.HasPrefix(line, "@@"):
			var oldStart, oldCount, newStart, newCount int
			if _, err := fmt.Sscanf(line, "@@ -%d,%d +%d,%d @@", &oldStart, &oldCount, &newStart, &newCount); err != nil {
				return "", fmt.Errorf("bad hunk header %q: %v", line, err)
			}
			start := oldStart - 1
			if oldCount == 0 {
				start = oldStart
			}
			if start < pos {
				return "", fmt.Errorf("hunk %q overlaps the one before", line)
			}
			out = append(out, src[pos:start]...)
			pos = start
		case line[0] == ' ' || line[0] == '-':
			if pos >= len(src) || src[pos] != line[1:] {
				return "", fmt.Errorf("line %d: diff says %q, old text has another line", pos+1, line)
			}
			if line[0] == ' ' {
				out = append(out, src[pos])
			}
			pos++
		case line[0] == '+':
			out = append(out, line[1:])
		default:
			return "", fmt.Errorf("unexpected diff line %q", line)
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, ""), nil
}
