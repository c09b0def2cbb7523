package verify

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/gotest"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// Each way a jump state can be wrong is caught, with its own message.
func TestJudgeJump(t *testing.T) {
	t.Parallel()
	ch := course.Chapter{Dir: "01-a", Steps: []course.Step{
		{N: 1, Tests: []string{"TestStep1_A"}},
		{N: 2, Tests: []string{"TestStep2_B", "TestStep2_C"}},
	}}
	result := func(tests ...*gotest.Test) *gotest.Result {
		r := &gotest.Result{Tests: map[string]*gotest.Test{}}
		for _, tt := range tests {
			r.Tests[tt.Name] = tt
		}
		return r
	}
	pass := func(name string) *gotest.Test { return &gotest.Test{Name: name, Action: "pass"} }
	fail := func(name, msg string) *gotest.Test {
		return &gotest.Test{Name: name, Action: "fail", Output: "    x_test.go:9: " + msg + "\n"}
	}
	tests := []struct {
		name string
		res  *gotest.Result
		want string // "" when the state is right
	}{
		{"right", result(pass("TestStep1_A"), fail("TestStep2_B", "step 2: B is not implemented yet"), pass("TestStep2_C")), ""},
		{"earlier step fails", result(fail("TestStep1_A", "step 1: A is wrong"), fail("TestStep2_B", "step 2: no")),
			"TestStep1_A fails, but step 1 is done in this state"},
		{"step already done", result(pass("TestStep1_A"), pass("TestStep2_B"), pass("TestStep2_C")),
			"no test of step 2 fails: the solution's files for the earlier steps already do step 2"},
		{"sends the student back", result(pass("TestStep1_A"), fail("TestStep2_B", "step 2 builds on step 1, which is not finished yet")),
			"step 2 fails, but with a message about an earlier step, which is done here:\n    TestStep2_B speaks of step 1"},
		{"names an earlier step after its own", result(pass("TestStep1_A"), fail("TestStep2_B", "step 2: B needs A (a.go, step 1) and B (b.go, step 2)")), ""},
		{"begins with an earlier step", result(pass("TestStep1_A"), fail("TestStep2_B", "step 1: A is not implemented yet")),
			"TestStep2_B speaks of step 1"},
		{"does not compile", &gotest.Result{BuildFailed: true, BuildOutput: "./a.go:3:1: syntax error\n"},
			"does not compile with the solution's files for the steps before 2"},
	}
	for _, tt := range tests {
		got := judgeJump(ch, 2, tt.res, nil)
		switch {
		case tt.want == "" && got != "":
			t.Errorf("%s: judgeJump = %q, want no problem", tt.name, got)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("%s: judgeJump = %q, want it to say %q", tt.name, got, tt.want)
		case tt.want != "" && !strings.HasPrefix(got, "jump 01 2:"):
			t.Errorf("%s: judgeJump = %q, want it to start with the command that makes the state, jump 01 2", tt.name, got)
		}
	}
}

// TestJumpStatesOfTheWorkshop runs the jump check on the real chapters, as
// verify does. It takes about 40 s, so only when asked:
// JUMP=1 go test -run JumpStates ./internal/verify
func TestJumpStatesOfTheWorkshop(t *testing.T) {
	if os.Getenv("JUMP") != "1" {
		t.Skip("set JUMP=1 to check the jump states of every chapter (verify checks them too)")
	}
	root := testkit.Root(t)
	c, err := course.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	v := &verifier{opts: Options{Root: root}}
	for _, ch := range c.Chapters {
		if !ch.Present() {
			continue
		}
		t.Run(ch.Dir, func(t *testing.T) {
			t.Parallel()
			if check := v.jumps(context.Background(), ch, ch.TestTimeout()); !check.OK {
				t.Errorf("%s", check.Detail)
			} else {
				t.Log(check.Detail)
			}
		})
	}
}
