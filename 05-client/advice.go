package main

// Advice turns the error of a call to the server at cfg.Addr into one line
// that says what went wrong and what to do about it.
//
// Step 3: read the error's status with status.Convert(err) and switch on
// its Code():
//   - codes.Unavailable: "no server at <cfg.Addr>: start one with go run ./04-server"
//   - codes.DeadlineExceeded: which server did not answer within cfg.Timeout,
//     and to try a longer -timeout
//   - codes.InvalidArgument: the server's own message, st.Message()
//   - any other code: the code and the server's message
func Advice(cfg Config, err error) string {
	return "step 3: Advice is not implemented yet"
}
