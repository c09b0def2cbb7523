// Package helloworld is the Go code generated from helloworld.proto, the
// contract you write in this chapter, plus answers.go, where you read that
// generated code.
//
// Regenerate after every edit of helloworld.proto (needs protoc on PATH;
// the two Go plugins are pinned in go.mod and run through go tool):
//
//	go generate
package helloworld

//go:generate go run github.com/rpcworkshop/workshop/cmd/protogen helloworld.proto
