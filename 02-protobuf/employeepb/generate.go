// Package employeepb holds the Go code generated from employee.proto, the
// schema of chapter 02. Both the chapter (02-protobuf) and its solution
// import this one package: two copies generated from the same .proto would
// refuse to live in one binary, and the tests, identical in both folders,
// need one import path.
//
// Regenerate after editing employee.proto (with protoc when it is on PATH,
// else in Go; the plugins are pinned in go.mod and run through go tool):
//
//	go generate ./02-protobuf/employeepb
package employeepb

//go:generate go run github.com/rpcworkshop/workshop/cmd/protogen employee.proto
