package employeepb_test

import (
	"path/filepath"
	"testing"

	"github.com/rpcworkshop/workshop/02-protobuf/employeepb"
	"github.com/rpcworkshop/workshop/internal/protofresh"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

// TestGeneratedCodeIsFresh fails when employee.proto was edited without
// regenerating employee.pb.go (go generate ./02-protobuf/employeepb). The
// solution has the same file, as it has every test file of the chapter,
// and checks the same one package: the solution imports it from here.
func TestGeneratedCodeIsFresh(t *testing.T) {
	path := filepath.Join(testkit.Root(t), "02-protobuf", "employeepb", "employee.proto")
	protofresh.Check(t, path, employeepb.File_employee_proto)
}
