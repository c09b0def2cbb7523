// Package roompb is the room's gRPC service, generated from room.proto:
// the calls a student's workshop command makes to the instructor's board.
//
// Regenerate after editing room.proto (needs protoc on PATH; the plugins
// are pinned in go.mod and run through go tool):
//
//	go generate ./internal/room/roompb
package roompb

//go:generate go run github.com/rpcworkshop/workshop/cmd/protogen room.proto
