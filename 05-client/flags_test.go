package main

import (
	"errors"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The flags come with the chapter: this test passes from the start.
func TestFlags(t *testing.T) {
	var out strings.Builder
	got, err := ParseFlags(nil, &out)
	if err != nil {
		t.Fatalf("ParseFlags with no flags: %v", err)
	}
	want := Config{Addr: "localhost:50051", Name: "you", Timeout: time.Second, N: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the defaults (-want +got):\n%s", diff)
	}

	got, err = ParseFlags([]string{"-addr", "127.0.0.1:6000", "-name", "Ada", "-timeout", "250ms", "-n", "3"}, &out)
	if err != nil {
		t.Fatalf("ParseFlags with every flag: %v", err)
	}
	want = Config{Addr: "127.0.0.1:6000", Name: "Ada", Timeout: 250 * time.Millisecond, N: 3}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("every flag set (-want +got):\n%s", diff)
	}

	out.Reset()
	if _, err := ParseFlags([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("ParseFlags(-h) returned %v, want flag.ErrHelp", err)
	}
	for _, f := range []string{"-addr", "-name", "-timeout", "-n"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("-h does not explain %s:\n%s", f, out.String())
		}
	}

	for _, args := range [][]string{{"-n", "0"}, {"-timeout", "0s"}, {"-addr", ""}, {"Bob"}} {
		out.Reset()
		if _, err := ParseFlags(args, &out); err == nil {
			t.Errorf("ParseFlags(%q) accepted a command line that cannot work", args)
		} else if out.Len() == 0 {
			t.Errorf("ParseFlags(%q) failed without saying why", args)
		}
	}
}
