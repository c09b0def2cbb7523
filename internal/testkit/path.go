package testkit

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/rpcworkshop/workshop/internal/gotest"
)

// Path returns the path to read the package's file name from: name itself,
// or the replacement that the overlay named by gotest.OverlayEnv gives it.
// Only verify sets that, to try a wrong implementation of a non-Go file; a
// test that reads a student's file (a .proto) reads it through Path.
func Path(name string) string {
	overlay := os.Getenv(gotest.OverlayEnv)
	if overlay == "" {
		return name
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return name
	}
	data, err := os.ReadFile(overlay)
	if err != nil {
		return name
	}
	var o struct{ Replace map[string]string }
	if json.Unmarshal(data, &o) != nil {
		return name
	}
	if r := o.Replace[abs]; r != "" {
		return r
	}
	return name
}
