package main

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// logCalls returns an interceptor that logs one line per unary call: the
// full method name, the status code and how long the handler took (chapter
// 04's).
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

// logStreams returns a stream interceptor that logs one record per
// streaming call when it ends, with the message "stream" and the
// attributes method (the full method name), code (the status code),
// duration (how long the handler ran), sent and received (how many
// messages the handler sent and received).
func logStreams(logger *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		return errors.New("step 5: logStreams is not implemented yet")
	}
}

// countingStream is a grpc.ServerStream that counts the messages that go
// through it, each way.
type countingStream struct {
	grpc.ServerStream
	sent, received atomic.Int64
}

// SendMsg sends m on the stream it wraps, and counts it once it is sent.
func (s *countingStream) SendMsg(m any) error {
	// step 5: count it.
	return s.ServerStream.SendMsg(m)
}

// RecvMsg receives m from the stream it wraps, and counts it once it is
// received.
func (s *countingStream) RecvMsg(m any) error {
	// step 5: count it.
	return s.ServerStream.RecvMsg(m)
}
