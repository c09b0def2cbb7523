//go:build !unix

package gotest

import (
	"os/exec"
	"runtime"
	"strconv"
)

func ownGroup(cmd *exec.Cmd) {}

// killTree stops the process and, on Windows, every process it started.
func killTree(cmd *exec.Cmd) error {
	if runtime.GOOS == "windows" {
		if exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(cmd.Process.Pid)).Run() == nil {
			return nil
		}
	}
	return cmd.Process.Kill()
}
