package room

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpcworkshop/workshop/internal/room/roompb"
)

// state is everything the room knows, as saved in its file.
type state struct {
	Code     string              `json:"code"`
	Students map[string]*student `json:"students"` // by id
}

type student struct {
	Name     string            `json:"name"`
	Joined   time.Time         `json:"joined"`
	Seen     time.Time         `json:"seen"`     // the last report
	Chapters map[string][]step `json:"chapters"` // by folder, the steps in order

	tokens   float64 // reports allowed now, refilled as time passes (not saved)
	refilled time.Time
}

type step struct {
	State roompb.State `json:"state"`
	Test  string       `json:"test,omitempty"` // the failing test, or what stopped the tests
	Hints int32        `json:"hints,omitempty"`
	Since time.Time    `json:"since"` // when State or Test last changed
}

// allow takes one report from the student's token bucket, if there is one.
func (s *student) allow(now time.Time) bool {
	if s.refilled.IsZero() {
		s.tokens = reportBurst
	} else {
		s.tokens = min(reportBurst, s.tokens+float64(now.Sub(s.refilled))/float64(reportEvery))
	}
	s.refilled = now
	if s.tokens < 1 {
		return false
	}
	s.tokens--
	return true
}

// merge returns a chapter's steps after a report (checked already) about
// a chapter of n steps. A step keeps its Since while it stays the same.
func merge(old []step, c *roompb.Chapter, n int, now time.Time) []step {
	steps := make([]step, n)
	for i := range steps {
		steps[i] = step{State: roompb.State_STATE_NOT_STARTED, Since: now}
		if i < len(old) {
			steps[i] = old[i]
		}
	}
	if c.GetProblem() != roompb.Problem_PROBLEM_NONE {
		// The tests said nothing about the steps: keep them as they were,
		// and show the problem on the first step not done.
		for i := range steps {
			if steps[i].State != roompb.State_STATE_DONE {
				steps[i].update(roompb.State_STATE_FAILING, problems[c.GetProblem()], now)
				break
			}
		}
		return steps
	}
	for i, st := range c.GetSteps() {
		steps[i].update(st.GetState(), st.GetFailingTest(), now)
		steps[i].Hints = st.GetHints()
	}
	return steps
}

func (s *step) update(state roompb.State, test string, now time.Time) {
	if s.State != state || s.Test != test {
		s.State, s.Test, s.Since = state, test, now
	}
}

// problems say on the board what stopped a student's tests.
var problems = map[roompb.Problem]string{
	roompb.Problem_PROBLEM_BUILD_FAILED: "does not compile",
	roompb.Problem_PROBLEM_PANICKED:     "a test panicked",
	roompb.Problem_PROBLEM_TIMED_OUT:    "a test timed out",
	roompb.Problem_PROBLEM_CANNOT_RUN:   "tests cannot run",
}

// store keeps the state in memory and in its file. Changes are made one at
// a time; saving them is shared: while one save is writing, the changes
// made meanwhile wait, and the next save writes them all at once.
type store struct {
	path string

	mu      sync.Mutex // guards the fields below
	state   state
	changes int           // changes made so far
	saved   int           // how many of them the file holds
	changed chan struct{} // closed, and replaced, after each save

	saving sync.Mutex // one save at a time
}

// openStore reads the room's file, or starts a new room (with a new code)
// when there is none or fresh is set.
func openStore(path string, fresh bool) (*store, error) {
	s := &store{path: path, changed: make(chan struct{})}
	data, err := os.ReadFile(path)
	switch {
	case err == nil && !fresh:
		if err := json.Unmarshal(data, &s.state); err != nil || s.state.Code == "" {
			return nil, fmt.Errorf("the room's file %s is damaged (%v): start a new room with -new", path, err)
		}
		for _, stu := range s.state.Students {
			if stu.Chapters == nil {
				stu.Chapters = map[string][]step{}
			}
		}
		return s, nil
	case err == nil || errors.Is(err, fs.ErrNotExist):
		s.state = state{Code: newCode(), Students: map[string]*student{}}
		return s, s.update(context.Background(), func(*state) error { return nil })
	default:
		return nil, err
	}
}

// update makes a change with f and returns once the file holds it. When f
// fails, nothing changes.
func (s *store) update(ctx context.Context, f func(*state) error) error {
	s.mu.Lock()
	if err := f(&s.state); err != nil {
		s.mu.Unlock()
		return err
	}
	s.changes++
	mine := s.changes
	s.mu.Unlock()

	s.saving.Lock()
	defer s.saving.Unlock()
	s.mu.Lock()
	if s.saved >= mine { // a save made while we waited holds our change
		s.mu.Unlock()
		return nil
	}
	data, err := json.Marshal(&s.state)
	upTo := s.changes
	s.mu.Unlock()
	if err == nil {
		err = writeFile(s.path, data)
	}
	if err != nil {
		// The change stays in memory, and the next save that works writes
		// it; but it is not acknowledged.
		return status.Errorf(codes.Unavailable, "the room cannot save its state: %v", err)
	}
	s.mu.Lock()
	s.saved = upTo
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	return nil
}

// read runs f on the state, as saved.
func (s *store) read(f func(*state)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.state)
}

// next returns a channel closed at the next save.
func (s *store) next() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// writeFile replaces the file at path with data atomically: a crash leaves
// either the old file or the new one, never half of one.
func writeFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".room-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing left to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// Make the rename itself durable. Not every system can sync a folder
	// (Windows cannot), and the rename is done anyway.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// newCode is a random room code: 8 characters from an alphabet without
// look-alikes (no 0/O, 1/I), 40 bits, safe to type in any shell.
func newCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // 32: a byte%32 favours none
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return string(b)
}
