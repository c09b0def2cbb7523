package testkit

import (
	"errors"
	"fmt"
	"testing"
)

func TestNotImplemented(t *testing.T) {
	tests := []struct {
		err      error
		wantMsg  string
		wantStep int
	}{
		{errors.New("step 1: SayHello is not implemented yet"), "step 1: SayHello is not implemented yet", 1},
		{fmt.Errorf("rpc error: code = Unimplemented desc = %s", "step 6: drain.interceptor is not implemented yet"), "step 6: drain.interceptor is not implemented yet", 6},
		{errors.New("the call failed: step 3: dispatch is not implemented yet"), "step 3: dispatch is not implemented yet", 3},
		{errors.New("connection refused"), "", 0},
		{nil, "", 0},
	}
	for _, tt := range tests {
		msg, step, ok := NotImplemented(tt.err)
		if msg != tt.wantMsg || step != tt.wantStep || ok != (tt.wantMsg != "") {
			t.Errorf("NotImplemented(%v) = %q, %d, %v; want %q, %d, %v", tt.err, msg, step, ok, tt.wantMsg, tt.wantStep, tt.wantMsg != "")
		}
	}
}
