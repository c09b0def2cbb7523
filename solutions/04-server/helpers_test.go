package main

import "github.com/rpcworkshop/workshop/internal/grpctest"

// callTimeout bounds every call a test makes, so a broken server fails the
// test in seconds instead of hanging it. It and the functions below are the
// plumbing the gRPC chapters share, from internal/grpctest.
const callTimeout = grpctest.CallTimeout

var (
	callContext   = grpctest.CallContext
	serveInMemory = grpctest.ServeInMemory
	dialInMemory  = grpctest.DialInMemory
	serveTCP      = grpctest.ServeTCP
	dialTCP       = grpctest.DialTCP
)
