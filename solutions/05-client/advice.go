package main

import (
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Advice turns the error of a call to the server at cfg.Addr into one line
// that says what went wrong and what to do about it.
//
// Step 3.
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
