package main

import (
	"log/slog"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
)

// maxRequestBytes is the largest request message the server reads. A bigger
// one is refused with codes.ResourceExhausted before any handler runs.
const maxRequestBytes = 16 << 10

// newServer builds a gRPC server with the Greeter, the standard health
// service (reporting SERVING) and server reflection. Every unary call goes
// through logCalls and echoRequestID. The server does not listen yet.
func newServer(logger *slog.Logger) (*grpc.Server, error) {
	srv := grpc.NewServer(
		grpc.MaxRecvMsgSize(maxRequestBytes),
		grpc.ChainUnaryInterceptor(logCalls(logger), echoRequestID),
	)
	helloworld.RegisterGreeterServer(srv, Greeter{})

	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus(helloworld.Greeter_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)

	reflection.Register(srv)
	return srv, nil
}
