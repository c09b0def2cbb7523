package verify

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// targets vets every package and compiles and links every test binary for
// each laptop a student may bring, so that code which builds only on the
// maintainer's OS (a signal Windows lacks, a syscall macOS names
// differently) is caught here and not in the room.
func (v *verifier) targets(ctx context.Context, patterns ...string) Check {
	c := Check{Name: "vets and builds for " + strings.Join(v.opts.Targets, ", ")}
	var problems, took []string
	for _, target := range v.opts.Targets {
		goos, goarch, ok := strings.Cut(target, "/")
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: not a GOOS/GOARCH pair such as windows/amd64", target))
			continue
		}
		if goos == runtime.GOOS && goarch == runtime.GOARCH {
			// The contract's checks have vetted and built everything here.
			took = append(took, target+" (this machine: built above)")
			continue
		}
		v.progress("workshop: vetting and building for %s", target)
		start := time.Now()
		env := []string{"GOOS=" + goos, "GOARCH=" + goarch, "CGO_ENABLED=0"} // no C cross-compiler is assumed
		if out, err := v.goCmdEnv(ctx, env, append([]string{"vet"}, patterns...)...); err != nil {
			problems = append(problems, fmt.Sprintf("%s: go vet %s failed (GOOS=%s GOARCH=%s):\n%s", target, strings.Join(patterns, " "), goos, goarch, indent(firstLines(out, 12), "  ")))
			continue
		}
		if out, err := v.goCmdEnv(ctx, env, append([]string{"test", "-c", "-o", os.DevNull}, patterns...)...); err != nil {
			problems = append(problems, fmt.Sprintf("%s: a test binary does not build (GOOS=%s GOARCH=%s go test -c %s):\n%s", target, goos, goarch, strings.Join(patterns, " "), indent(firstLines(out, 12), "  ")))
			continue
		}
		took = append(took, fmt.Sprintf("%s %.0fs", target, time.Since(start).Seconds()))
	}
	if len(problems) > 0 {
		c.Detail = strings.Join(problems, "\n")
		return c
	}
	c.OK = true
	c.Detail = "every package and test binary, " + strings.Join(took, ", ")
	return c
}
