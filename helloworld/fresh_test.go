package helloworld

import (
	"testing"

	"github.com/rpcworkshop/workshop/internal/protofresh"
)

func TestGeneratedCodeIsFresh(t *testing.T) {
	protofresh.Check(t, "helloworld.proto", File_helloworld_proto)
}
