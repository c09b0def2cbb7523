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

// logCalls returns an interceptor that logs one line per unary call: the
// full method name, the status code and how long the handler took.
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

// echoRequestID is an interceptor that copies the x-request-id the client
// sent into the response header, so both sides can match their logs.
func echoRequestID(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	if ids := md.Get(requestIDKey); len(ids) > 0 {
		if err := grpc.SetHeader(ctx, metadata.Pairs(requestIDKey, ids[0])); err != nil {
			return nil, err
		}
	}
	return handler(ctx, req)
}
