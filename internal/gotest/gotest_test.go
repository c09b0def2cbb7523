package gotest

import "testing"

// A test that fails in one of its -count runs has failed, whatever the
// other runs did: that is how a flaky test shows.
func TestParseKeepsAFailureAcrossRuns(t *testing.T) {
	out := `{"Action":"run","Package":"p","Test":"TestStep1_X"}
{"Action":"output","Package":"p","Test":"TestStep1_X","Output":"flaky\n"}
{"Action":"fail","Package":"p","Test":"TestStep1_X","Elapsed":0.1}
{"Action":"run","Package":"p","Test":"TestStep1_X"}
{"Action":"pass","Package":"p","Test":"TestStep1_X","Elapsed":0.1}
{"Action":"run","Package":"p","Test":"TestStep2_Y"}
{"Action":"output","Package":"p","Test":"TestStep2_Y","Output":"panic: boom\n"}
`
	r := Parse([]byte(out))
	x := r.Tests["TestStep1_X"]
	if x == nil || !x.Failed() || x.Runs != 2 {
		t.Fatalf("TestStep1_X = %+v; want failed after 2 runs", x)
	}
	y := r.Tests["TestStep2_Y"]
	if y == nil || !y.Failed() {
		t.Fatalf("TestStep2_Y never finished, so it must count as failed; got %+v", y)
	}
	if !r.Panicked {
		t.Fatal("a panic in a test's output was not noticed")
	}
}

func TestFirstLinesSkipsRunAndFailLines(t *testing.T) {
	got := FirstLines("=== RUN   TestX\n    x_test.go:9: step 1: Greet is not implemented yet\n--- FAIL: TestX (0.00s)\n", 2)
	if want := "x_test.go:9: step 1: Greet is not implemented yet"; got != want {
		t.Fatalf("FirstLines = %q, want %q", got, want)
	}
}

// Shards of one -count run merge into one result: a test that failed in
// any shard has failed, and its runs add up.
func TestMergeKeepsAFailureAcrossShards(t *testing.T) {
	pass := Parse([]byte(`{"Action":"pass","Package":"p","Test":"TestStep1_X","Elapsed":0.1}
{"Action":"pass","Package":"p","Test":"TestStep1_X","Elapsed":0.1}
`))
	fail := Parse([]byte(`{"Action":"output","Package":"p","Test":"TestStep1_X","Output":"flaky\n"}
{"Action":"fail","Package":"p","Test":"TestStep1_X","Elapsed":0.1}
`))
	r := &Result{Tests: map[string]*Test{}}
	r.merge(pass)
	r.merge(fail)
	x := r.Tests["TestStep1_X"]
	if x == nil || !x.Failed() || x.Runs != 3 || x.Output != "flaky\n" {
		t.Fatalf("TestStep1_X = %+v; want failed after 3 runs, with the failing run's output", x)
	}
}
