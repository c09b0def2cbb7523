package main

import (
	"log/slog"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
)

// maxRequestBytes is the largest request message the server reads. A bigger
// one is refused with codes.ResourceExhausted before any handler runs.
const maxRequestBytes = 16 << 10

// newServer builds a gRPC server, not listening yet, that serves
//
//   - the Greeter;
//   - the standard health service (grpc.health.v1.Health), d.health, which
//     reports SERVING for the server as a whole ("") and for
//     helloworld.Greeter;
//   - server reflection, so that a tool such as grpcurl can list the
//     services and call them without the .proto file.
//
// Every unary call goes through [logCalls], then [echoRequestID]; every
// stream (a health Watch) goes through d's interceptor, so that a stop can
// end it. A request message larger than [maxRequestBytes] is refused before
// any of them runs.
func newServer(logger *slog.Logger, d *drain) (*grpc.Server, error) {
	srv := grpc.NewServer(
		grpc.MaxRecvMsgSize(maxRequestBytes),
		grpc.ChainUnaryInterceptor(logCalls(logger), echoRequestID),
		grpc.ChainStreamInterceptor(d.interceptor),
	)
	helloworld.RegisterGreeterServer(srv, Greeter{})

	hs := d.health
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus(helloworld.Greeter_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)

	reflection.Register(srv)
	return srv, nil
}
