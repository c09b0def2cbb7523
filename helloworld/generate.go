// Package helloworld is the canonical Greeter: the code generated from
// helloworld.proto that chapters 04 and 05 import, whatever state a
// student's chapter 03 is in.
//
// Regenerate after editing helloworld.proto (with protoc when it is on
// PATH, else in Go; the plugins are pinned in go.mod and run through go
// tool):
//
//	go generate ./helloworld
package helloworld

//go:generate go run github.com/rpcworkshop/workshop/cmd/protogen helloworld.proto
