package testkit

import (
	"bufio"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
)

// PythonGreeterScript is the one Python Greeter server of the workshop,
// relative to its root: docs/cross-language.md shows it, and the tests of
// chapters 05 and 06 call it.
var PythonGreeterScript = filepath.Join("docs", "examples", "python", "greeter_server.py")

// StartPythonGreeter starts the Python Greeter with python (see Python) on a
// free port of 127.0.0.1 and returns its address and a function that stops
// it. The server also exits when its stdin closes, so it does not outlive a
// test binary that is killed. It takes no testing.T, so that a TestMain can
// stop a server that several tests share.
func StartPythonGreeter(python string) (addr string, stop func(), err error) {
	root, err := course.FindRoot(".")
	if err != nil {
		return "", nil, err
	}
	script := filepath.Join(root, PythonGreeterScript)
	cmd := exec.Command(python, script, "--exit-on-stdin-close", "127.0.0.1:0")
	var stderr SyncBuffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting %s: %v", script, err)
	}
	stop = func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}

	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	const prefix = "Python Greeter server listening on "
	select {
	case s := <-line:
		if addr, ok := strings.CutPrefix(s, prefix); ok {
			return addr, stop, nil
		}
		stop()
		return "", nil, fmt.Errorf("%s printed %q, not %q; its stderr: %s", script, s, prefix+"host:port", stderr.String())
	case <-time.After(15 * time.Second):
		stop()
		return "", nil, fmt.Errorf("%s printed no address within 15s; its stderr: %s", script, stderr.String())
	}
}
