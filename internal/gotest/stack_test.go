package gotest

import "testing"

func TestParseStackFindsTheChaptersFrames(t *testing.T) {
	dump := "goroutine 1 [chan receive]:\n" +
		"testing.(*T).Run(0xc0001, {0x5, 0x1}, 0xc0002)\n\t/usr/local/go/src/testing/testing.go:2005 +0x485\n" +
		"\n" +
		"goroutine 7 [select (no cases), 2 minutes]:\n" +
		"example.com/w/01-rpc-basics.(*Client).Call(0xc0003, {0x7, 0xc})\n\t/home/s/w/01-rpc-basics/client.go:113 +0x1c5\n" +
		"example.com/w/01-rpc-basics.TestStep4_Call(0xc0004)\n\t/home/s/w/01-rpc-basics/step4_client_test.go:20 +0x65\n" +
		"testing.tRunner(0xc0004, 0x6)\n\t/usr/local/go/src/testing/testing.go:1934 +0xea\n" +
		"created by testing.(*T).Run in goroutine 1\n\t/usr/local/go/src/testing/testing.go:1997 +0x465\n"
	gs := ParseStack(dump)
	if len(gs) != 2 || gs[1].ID != 7 || gs[1].State != "select (no cases)" || len(gs[1].Frames) != 3 {
		t.Fatalf("ParseStack = %+v; want 2 goroutines, the second #7 in \"select (no cases)\" with 3 frames (not the created-by line)", gs)
	}
	f := gs[1].Frames[0]
	if in, test := f.InDir("01-rpc-basics"); !in || test || f.Where() != "client.go:113, in (*Client).Call" {
		t.Errorf("frame %+v: in=%v test=%v where=%q; want client.go:113, in (*Client).Call, a non-test file of the chapter", f, in, test, f.Where())
	}
	if in, test := gs[1].Frames[1].InDir("/home/s/w/01-rpc-basics"); !in || !test {
		t.Errorf("the test's frame is not seen as a test file of the chapter: in=%v test=%v", in, test)
	}
	if got := WhereIn(dump, "solutions/01-rpc-basics"); got != "" {
		t.Errorf("WhereIn found %q in another folder", got)
	}
}
