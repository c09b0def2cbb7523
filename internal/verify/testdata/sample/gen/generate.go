// Package gen holds code generated from sample.proto.
package gen

//go:generate go run github.com/rpcworkshop/workshop/cmd/protogen sample.proto
