package gen

import (
	"testing"

	"github.com/rpcworkshop/workshop/internal/protofresh"
)

func TestGeneratedCodeIsFresh(t *testing.T) {
	protofresh.Check(t, "sample.proto", File_sample_proto)
}
