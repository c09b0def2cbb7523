//go:build unix

package gotest

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the command in a process group of its own, which
// killTree then stops as one.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func killTree(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
