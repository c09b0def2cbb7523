package roompb

import (
	"testing"

	"github.com/rpcworkshop/workshop/internal/protofresh"
)

func TestGeneratedCodeIsFresh(t *testing.T) {
	protofresh.Check(t, "room.proto", File_room_proto)
}
