package room

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpcworkshop/workshop/internal/room/roompb"
)

// state is everything the room knows.
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

// store keeps the state in memory and on disk, in a folder: room.json, a
// snapshot of the whole room, and room.log, the changes made since, one
// line each (a student's row as it now is, or null when they left).
//
// A change returns once its line is written: from then on, room serve may
// stop or crash and the change stays. Writing is shared: while one write
// is under way, the changes made meanwhile wait, and the next write takes
// them all at once. Syncing the log to the disk can take a busy laptop
// tens of milliseconds, so it is done beside the writes, every syncEvery:
// a power cut loses at most that much. When the log grows long, a
// snapshot (synced) replaces it.
type store struct {
	dir string

	mu      sync.Mutex // guards the fields below
	state   state
	pending []byte        // log lines not yet written
	changes int           // changes made so far
	saved   int           // how many of them are on disk
	logged  int           // lines in room.log
	changed chan struct{} // closed, and replaced, after each write

	saving  sync.Mutex  // one write at a time
	synced  time.Time   // when a sync of room.log last started
	syncing atomic.Bool // a sync is under way
}

// logLine is one line of room.log.
type logLine struct {
	ID      string   `json:"id"`
	Student *student `json:"student"` // nil: the student left
}

// snapshotAfter is how many lines room.log may hold before a snapshot
// replaces it: replaying them on restart takes a moment, at most.
const snapshotAfter = 20 * MaxStudents

// syncEvery is how often room.log is synced to the disk.
const syncEvery = time.Second

// openStore reads the room kept in dir, or starts a new room there (with
// a new code) when there is none or fresh is set.
func openStore(dir string, fresh bool) (*store, error) {
	s := &store{dir: dir, changed: make(chan struct{})}
	data, err := os.ReadFile(filepath.Join(dir, "room.json"))
	if fresh || errors.Is(err, fs.ErrNotExist) {
		s.state = state{Code: newCode(), Students: map[string]*student{}}
		return s, s.snapshot()
	}
	if err == nil {
		err = json.Unmarshal(data, &s.state)
	}
	if err != nil || s.state.Code == "" {
		return nil, fmt.Errorf("the room kept in %s is damaged (%v): start a new room with -new", dir, err)
	}
	if s.state.Students == nil {
		s.state.Students = map[string]*student{}
	}
	// Replay the log. A last line cut short by a crash was never
	// acknowledged: it is left out.
	data, _ = os.ReadFile(filepath.Join(dir, "room.log"))
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		var l logLine
		if !bytes.HasSuffix(line, []byte("\n")) || json.Unmarshal(line, &l) != nil || l.ID == "" {
			continue
		}
		if l.Student == nil {
			delete(s.state.Students, l.ID)
		} else {
			s.state.Students[l.ID] = l.Student
		}
	}
	for _, stu := range s.state.Students {
		if stu.Chapters == nil {
			stu.Chapters = map[string][]step{}
		}
	}
	if len(data) > 0 {
		// Start with an empty log, so that no new line follows a line cut
		// short.
		return s, s.snapshot()
	}
	return s, nil
}

// update changes the row of the student with id, and returns once the
// change is on disk. f gets the room and the student (nil if there is
// none) and returns the student as they are to be (nil: off the board),
// or an error, and then nothing changes.
func (s *store) update(id string, f func(*state, *student) (*student, error)) error {
	s.mu.Lock()
	stu, err := f(&s.state, s.state.Students[id])
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if stu == nil {
		delete(s.state.Students, id)
	} else {
		s.state.Students[id] = stu
	}
	line, _ := json.Marshal(logLine{ID: id, Student: stu})
	s.pending = append(append(s.pending, line...), '\n')
	s.changes++
	mine := s.changes
	s.mu.Unlock()

	s.saving.Lock()
	defer s.saving.Unlock()
	s.mu.Lock()
	if s.saved >= mine { // a write made while we waited took our change
		s.mu.Unlock()
		return nil
	}
	lines, upTo, n := s.pending, s.changes, s.changes-s.saved
	s.pending = nil
	s.mu.Unlock()

	log := filepath.Join(s.dir, "room.log")
	err = appendFile(log, lines)
	if time.Since(s.synced) >= syncEvery && s.syncing.CompareAndSwap(false, true) {
		// Sync while the next changes go on: the disk may take its time.
		s.synced = time.Now()
		go func() {
			syncFile(log)
			s.syncing.Store(false)
		}()
	}
	if err == nil && s.logged+n > snapshotAfter {
		err = s.snapshot()
	} else if err == nil {
		s.logged += n
	}
	if err != nil {
		// The change stays in memory, and the next snapshot saves it; but
		// it is not acknowledged.
		return status.Errorf(codes.Unavailable, "the room cannot save its state: %v", err)
	}
	s.mu.Lock()
	s.saved = upTo
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	return nil
}

// snapshot writes the whole room to room.json and empties room.log. The
// lines written since the snapshot was taken may be in both: replaying a
// line twice gives the same row.
func (s *store) snapshot() error {
	s.mu.Lock()
	data, err := json.Marshal(&s.state)
	s.mu.Unlock()
	if err == nil {
		err = writeFile(filepath.Join(s.dir, "room.json"), data)
	}
	if err == nil {
		err = os.Truncate(filepath.Join(s.dir, "room.log"), 0)
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
	}
	if err == nil {
		s.logged = 0
	}
	return err
}

// close writes a last snapshot, so that the next start reads no log.
func (s *store) close() error {
	s.saving.Lock()
	defer s.saving.Unlock()
	return s.snapshot()
}

// read runs f on the state.
func (s *store) read(f func(*state)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.state)
}

// next returns a channel closed at the next write.
func (s *store) next() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// appendFile appends data to the file at path.
func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncFile waits until the disk has the file at path.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0) // Windows syncs only a file open for writing
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
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
