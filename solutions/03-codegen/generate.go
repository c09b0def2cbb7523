// Package helloworld is the Go code generated from helloworld.proto, the
// contract you write in this chapter, plus answers.go, where you read that
// generated code.
//
// Regenerate after every edit of helloworld.proto. With protoc on PATH it
// runs protoc; without, it compiles the .proto in Go and hands the two Go
// plugins (pinned in go.mod, run through go tool) the same request:
//
//	go generate
package helloworld

//go:generate go run github.com/rpcworkshop/workshop/cmd/protogen helloworld.proto
