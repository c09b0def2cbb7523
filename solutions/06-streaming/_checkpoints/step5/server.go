package main

import (
	"log/slog"

	"github.com/rpcworkshop/workshop/helloworld"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
)

// newServer builds a gRPC server with g as the Greeter, d's health service
// (reporting SERVING for "" and "helloworld.Greeter") and server
// reflection, under flowOptions. Every unary call goes through logCalls;
// every streaming call goes through logStreams, then through d's
// interceptor, so that a stop can end it. The server does not listen yet.
//
// d's interceptor joins in step 6: until then it refuses every stream, so
// leave it out while you do step 5.
func newServer(logger *slog.Logger, g *Greeter, d *drain) (*grpc.Server, error) {
	opts := append(flowOptions(),
		grpc.ChainUnaryInterceptor(logCalls(logger)),
		// Step 6: chain d.interceptor after logStreams.
		grpc.ChainStreamInterceptor(logStreams(logger)),
	)
	srv := grpc.NewServer(opts...)
	helloworld.RegisterGreeterServer(srv, g)

	d.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	d.health.SetServingStatus(helloworld.Greeter_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, d.health)

	reflection.Register(srv)
	return srv, nil
}
