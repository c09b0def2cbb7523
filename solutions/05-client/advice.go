package main

import (
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Advice turns the error of a call to the server at cfg.Addr into one line
// that says what went wrong and what to do about it. It goes by the error's
// gRPC status code (an error that is not a status counts as Unknown, with
// its text as the message):
//
//   - Unavailable: "no server at <cfg.Addr>: start one with go run ./04-server"
//   - DeadlineExceeded: which server did not answer within cfg.Timeout, and
//     to try again with a longer -timeout
//   - InvalidArgument: the server's own message, which says what to send
//   - any other code: the code's name and the server's message
func Advice(cfg Config, err error) string {
	st := status.Convert(err)
	switch st.Code() {
	case codes.Unavailable:
		return fmt.Sprintf("no server at %s: start one with go run ./04-server", cfg.Addr)
	case codes.DeadlineExceeded:
		return fmt.Sprintf("no answer from %s within %v: the server is slow or stuck; try again with a longer -timeout", cfg.Addr, cfg.Timeout)
	case codes.InvalidArgument:
		return fmt.Sprintf("the server rejected the request: %s", st.Message())
	default:
		return fmt.Sprintf("the call failed with %s: %s", st.Code(), st.Message())
	}
}
