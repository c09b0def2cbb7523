package gotest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// A Binary is a package's compiled tests, built once and run as often as
// needed.
type Binary struct {
	Pkg  string // the package's import path
	Dir  string // the package's folder, where its tests run
	Path string // the test binary
}

// Build compiles the tests of the packages matching patterns into out (go
// test -c with flags, such as -race) and returns one binary per package
// that has tests. When a package does not compile, the result says so.
func Build(ctx context.Context, root, out string, env []string, flags []string, patterns ...string) ([]Binary, *Result, error) {
	start := time.Now()
	r := &Result{Tests: map[string]*Test{}}
	list := Command(ctx, root, "go", append([]string{"list", "-e", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{len .TestGoFiles}}{{len .XTestGoFiles}}"}, patterns...)...)
	list.Env = append(os.Environ(), env...)
	listed, err := list.Output()
	if err != nil {
		return nil, r, fmt.Errorf("go list: %w", err)
	}
	var bins []Binary
	seen := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(listed)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[2] == "00" {
			continue
		}
		name := path.Base(f[0]) + ".test"
		if other, ok := seen[name]; ok {
			return nil, r, fmt.Errorf("%s and %s both build %s: build them apart", other, f[0], name)
		}
		seen[name] = f[0]
		bins = append(bins, Binary{Pkg: f[0], Dir: f[1], Path: filepath.Join(out, name+exeSuffix())})
	}
	if len(bins) == 0 {
		return nil, r, nil
	}
	args := append([]string{"test", "-c", "-o", out + string(filepath.Separator)}, flags...)
	cmd := Command(ctx, root, "go", append(args, patterns...)...)
	cmd.Env = append(os.Environ(), env...)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	err = cmd.Run()
	r.Elapsed = time.Since(start)
	if ctx.Err() != nil {
		r.TimedOut = true
		return nil, r, nil
	}
	if _, ok := err.(*exec.ExitError); ok {
		r.BuildFailed = true
		r.BuildOutput = output.String()
		return nil, r, nil
	} else if err != nil {
		return nil, r, fmt.Errorf("go test -c: %w", err)
	}
	return bins, r, nil
}

func exeSuffix() string {
	if filepath.Separator == '\\' {
		return ".exe"
	}
	return ""
}

// RunBinary runs a test binary as go test -json would: in its package's
// folder, its output read by test2json. args are the binary's own flags
// (-test.count=5, -test.timeout=2m).
func RunBinary(ctx context.Context, b Binary, env []string, args ...string) (*Result, error) {
	start := time.Now()
	tool, err := test2json(ctx)
	if err != nil {
		return &Result{Tests: map[string]*Test{}}, err
	}
	all := append([]string{"-t", "-p", b.Pkg, b.Path, "-test.v=test2json", "-test.paniconexit0"}, args...)
	cmd := Command(ctx, b.Dir, tool, all...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	r := Parse(stdout.Bytes())
	r.Elapsed = time.Since(start)
	r.Output += stderr.String()
	return finish(ctx, r, runErr, "running "+filepath.Base(b.Path))
}

// MaxProcesses is how many test binaries RunShards runs at once, all calls
// together: enough to keep two cores busy while most of them wait, few
// enough for a laptop's memory (a -race binary takes about 100 MB).
const MaxProcesses = 16

var slots = make(chan struct{}, MaxProcesses)

var test2jsonPath struct {
	sync.Mutex
	path string
}

// test2json finds go's test2json tool once (go tool -n builds it if need
// be), so that each shard does not start a go command just to run it.
func test2json(ctx context.Context) (string, error) {
	test2jsonPath.Lock()
	defer test2jsonPath.Unlock()
	if test2jsonPath.path == "" {
		out, err := Command(ctx, ".", "go", "tool", "-n", "test2json").Output()
		if err != nil {
			return "", fmt.Errorf("go tool -n test2json: %w", err)
		}
		test2jsonPath.path = strings.TrimSpace(string(out))
	}
	return test2jsonPath.path, nil
}

// RunShards runs the binaries count times in all, in shards processes at
// once (each test still runs count times, shared out among the processes),
// and merges what they report. Tests that wait on timers or the network
// take a fraction of the time this way, and each test also runs beside
// copies of itself, which a test holding a fixed port or a shared file
// does not survive.
func RunShards(ctx context.Context, bins []Binary, env []string, count, shards int, timeoutPerRun time.Duration) (*Result, error) {
	shards = max(1, min(shards, count))
	start := time.Now()
	type run struct {
		r   *Result
		err error
	}
	runs := make([]run, len(bins)*shards)
	var wg sync.WaitGroup
	for i, b := range bins {
		for s := range shards {
			n := count / shards
			if s < count%shards {
				n++
			}
			wg.Go(func() {
				slots <- struct{}{}
				defer func() { <-slots }()
				r, err := RunBinary(ctx, b, env, fmt.Sprintf("-test.count=%d", n), "-test.timeout="+(timeoutPerRun*time.Duration(n)).String())
				runs[i*shards+s] = run{r, err}
			})
		}
	}
	wg.Wait()
	merged := &Result{Tests: map[string]*Test{}}
	for _, x := range runs {
		if x.err != nil {
			return merged, x.err
		}
		merged.merge(x.r)
	}
	merged.Elapsed = time.Since(start)
	return merged, nil
}

// merge adds what another run of the same tests reported.
func (r *Result) merge(o *Result) {
	for name, t := range o.Tests {
		mine := r.Tests[name]
		if mine == nil {
			c := *t
			r.Tests[name] = &c
			continue
		}
		if t.Failed() && !mine.Failed() {
			mine.Action = t.Action
			mine.Output = t.Output + mine.Output // the failure first
		}
		mine.Runs += t.Runs
		mine.Elapsed += t.Elapsed
	}
	r.BuildFailed = r.BuildFailed || o.BuildFailed
	r.BuildOutput += o.BuildOutput
	r.Panicked = r.Panicked || o.Panicked
	r.TimedOut = r.TimedOut || o.TimedOut
	r.Output += o.Output
	r.ExitCode = max(r.ExitCode, o.ExitCode)
}
