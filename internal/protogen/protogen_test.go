package protogen

import (
	"strings"
	"testing"
)

func TestRecentEnough(t *testing.T) {
	for version, want := range map[string]bool{
		"3.21.12": true, "3.15.0": true, "3.14.0": false, "3.6.1": false,
		"25.1": true, "29.3": true, "": false, "libprotoc": false,
	} {
		if got := RecentEnough(version); got != want {
			t.Errorf("RecentEnough(%q) = %v, want %v", version, got, want)
		}
	}
}

func TestStripVersionKeepsAllButProtocsVersion(t *testing.T) {
	src := "// versions:\n// \tprotoc-gen-go v1.36.12\n// \tprotoc        v3.21.12\n// source: a.proto\n" +
		"// - protoc-gen-go-grpc v1.6.2\n// - protoc             v3.21.12\npackage a\n"
	want := "// versions:\n// \tprotoc-gen-go v1.36.12\n// source: a.proto\n// - protoc-gen-go-grpc v1.6.2\npackage a\n"
	if got := string(StripVersion([]byte(src))); got != want {
		t.Fatalf("StripVersion:\n got %q\nwant %q", got, want)
	}
}

func TestStripVersionReadsCRLFAsLF(t *testing.T) {
	lf := "// versions:\n// \tprotoc        v3.21.12\npackage a\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	if got, want := string(StripVersion([]byte(crlf))), string(StripVersion([]byte(lf))); got != want {
		t.Fatalf("StripVersion of a CRLF file:\n got %q\nwant %q", got, want)
	}
}
