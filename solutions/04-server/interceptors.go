package main

import (
	"context"
	"log/slog"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// requestIDKey is the metadata key a client may send with a call; the server
// sends the same value back in the response header.
const requestIDKey = "x-request-id"

// logCalls returns an interceptor that logs one record per unary call, once
// the handler has returned, failed calls included: the message "call" with
// the attributes method (the full method name, such as
// /helloworld.Greeter/SayHello), code (the name of the call's status code:
// OK, InvalidArgument...) and duration (how long the handler took). The call
// itself goes through unchanged: the interceptor returns exactly what the
// handler returned.
func logCalls(logger *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		resp, err := handler(ctx, req)
		logger.LogAttrs(ctx, slog.LevelInfo, "call",
			slog.String("method", info.FullMethod),
			slog.String("code", status.Code(err).String()),
			slog.Duration("duration", time.Since(start)),
		)
		return resp, err
	}
}

// echoRequestID is an interceptor that sends the x-request-id the client
// sent ([requestIDKey]) back in the response header, so both sides can match
// their logs. A call that carries none gets no such header. Either way the
// call itself goes through unchanged.
func echoRequestID(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	if ids := md.Get(requestIDKey); len(ids) > 0 {
		if err := grpc.SetHeader(ctx, metadata.Pairs(requestIDKey, ids[0])); err != nil {
			return nil, err
		}
	}
	return handler(ctx, req)
}
