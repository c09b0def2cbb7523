package gotest

import (
	"context"
	"os/exec"
	"time"
)

// Command is exec.CommandContext for a go command (or a test binary) that
// starts processes of its own: when ctx ends, the whole tree is stopped at
// once, not just the first process, so that no test binary runs on after
// Ctrl-C holding its output pipe open.
func Command(ctx context.Context, dir, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	ownGroup(cmd)
	cmd.Cancel = func() error { return killTree(cmd) }
	// A grandchild that escaped the kill still must not keep Wait waiting.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}
