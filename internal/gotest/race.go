package gotest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
)

// RaceProblem says why go test -race cannot run here, or returns "" when it
// can. The race detector needs cgo, and cgo needs a C compiler, which a
// fresh Windows laptop lacks; without one, every -race build fails.
func RaceProblem(ctx context.Context, dir string) string {
	out, err := Command(ctx, dir, "go", "env", "CGO_ENABLED", "CC").Output()
	if err != nil {
		return "" // let go test say what is wrong
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 {
		return ""
	}
	cgo, cc := strings.TrimSpace(lines[0]), strings.Fields(lines[1])
	switch {
	case cgo != "1" && os.Getenv("CGO_ENABLED") == "0":
		return "CGO_ENABLED=0 is set, and -race needs cgo: unset it, and if there is no C compiler here, " + InstallCC()
	case cgo != "1":
		return "cgo is off here, most likely because there is no C compiler, and -race needs one: " + InstallCC()
	case len(cc) > 0 && !found(cc[0]):
		return fmt.Sprintf("there is no C compiler here (%s is not on PATH); -race needs one: %s", cc[0], InstallCC())
	}
	return ""
}

var lookups sync.Map

func found(program string) bool {
	if ok, seen := lookups.Load(program); seen {
		return ok.(bool)
	}
	_, err := exec.LookPath(program)
	lookups.Store(program, err == nil)
	return err == nil
}

// InstallCC says what to install for -race on this machine's OS.
func InstallCC() string {
	switch runtime.GOOS {
	case "windows":
		return "install a MinGW-w64 gcc and put it on PATH (for example winget install BrechtSanders.WinLibs.POSIX.UCRT), then open a new terminal"
	case "darwin":
		return "install the Xcode command line tools (xcode-select --install)"
	default:
		return "install gcc (Debian, Ubuntu: sudo apt-get install -y gcc; Fedora: sudo dnf install gcc)"
	}
}
