// Package hang is a chapter's code gone wrong in the ways a student's code
// blocks: the watchdog's tests (internal/testkit) run it and expect each
// hang to be reported within the budget.
package hang

import (
	"errors"
	"io"
)

// WaitForReply waits on a channel that nothing ever sends on: a Call
// written before the readLoop that would answer it.
func WaitForReply() string {
	replies := make(chan string)
	return <-replies
}

// SelectForever blocks for good, as a planted select {} does.
func SelectForever() {
	select {}
}

// ReadAll retries at io.EOF instead of returning: a read loop that spins.
func ReadAll(r io.Reader) ([]byte, error) {
	var out []byte
	buf := make([]byte, 16)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if errors.Is(err, io.EOF) {
			continue
		}
		if err != nil {
			return out, err
		}
	}
}
