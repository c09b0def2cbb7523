// Package room is the live board of a workshop's room: a gRPC service
// (roompb.Room) that students' workshop commands report their step states
// to, and a web page on the same port that shows the whole room to the
// instructor, updated as reports arrive.
//
// A room trusts nothing a client sends. Every call must carry the room code
// (compared in constant time); names, chapters, steps and test names are
// checked against the course; the room holds at most MaxStudents, and each
// student may report only so often. A bad call gets InvalidArgument,
// PermissionDenied, NotFound or ResourceExhausted, and the room goes on
// serving the others.
//
// The room's state is a folder of JSON files, one per student, each
// replaced atomically after every change and before the change is
// acknowledged: a room served again from the same folder shows the board
// as it was, and no acknowledged report is lost.
//
// The load test, 500 students reporting every 2 s, runs on request:
//
//	go test -run TestLoad ./internal/room -load
package room

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/room/roompb"
)

// Limits on what a client may ask of the room.
const (
	MaxStudents = 500
	MaxName     = 32 // characters in a name on the board

	reportBurst = 10              // reports a student may send at once...
	reportEvery = time.Second / 2 // ...then one per half second
)

// CodeKey is the metadata entry that carries the room code on every call.
const CodeKey = "room-code"

// Server is a room: the Room service and the board, over the folder that
// keeps the room.
type Server struct {
	roompb.UnimplementedRoomServer

	course     *course.Course
	store      *store
	stuckAfter time.Duration
	join       string // the command students type to join, shown on the board
	now        func() time.Time
}

// Options are the room's settings; the zero value is usable.
type Options struct {
	StuckAfter time.Duration // a failing step unchanged this long is marked stuck; 10 minutes if zero
	New        bool          // start afresh: a new code and an empty board, even if dir holds a room
}

// Open opens the room kept in the folder dir, or starts a new one there
// (with a new random code) when there is none.
func Open(dir string, c *course.Course, opts Options) (*Server, error) {
	st, err := openStore(dir, opts.New)
	if err != nil {
		return nil, err
	}
	if opts.StuckAfter <= 0 {
		opts.StuckAfter = 10 * time.Minute
	}
	return &Server{course: c, store: st, stuckAfter: opts.StuckAfter, now: time.Now}, nil
}

// Code is the room code students need to join.
func (s *Server) Code() string { return s.store.state.Code }

// Students is how many students are on the board.
func (s *Server) Students() int {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return len(s.store.state.Students)
}

// SetJoinCommand sets the command the board shows students to join; call
// it before Serve.
func (s *Server) SetJoinCommand(cmd string) { s.join = cmd }

// checkCode is a gRPC interceptor: no call reaches the room without its
// code. (The health service, which tells only whether the room serves,
// needs none.)
func (s *Server) checkCode(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if !strings.HasPrefix(info.FullMethod, "/"+roompb.Room_ServiceDesc.ServiceName+"/") {
		return handler(ctx, req)
	}
	md, _ := metadata.FromIncomingContext(ctx)
	if got := md.Get(CodeKey); len(got) != 1 || !s.codeOK(got[0]) {
		return nil, status.Error(codes.PermissionDenied, "wrong or missing room code: use the code room serve printed")
	}
	return handler(ctx, req)
}

// codeOK compares in constant time, so that timing tells nothing about how
// much of a guess was right.
func (s *Server) codeOK(code string) bool {
	return subtle.ConstantTimeCompare([]byte(code), []byte(s.Code())) == 1
}

// Join puts a student on the board.
func (s *Server) Join(ctx context.Context, req *roompb.JoinRequest) (*roompb.JoinReply, error) {
	name, err := checkName(req.GetName())
	if err != nil {
		return nil, err
	}
	id := randomID()
	err = s.store.update(id, func(st *state, _ *student) (*student, error) {
		if len(st.Students) >= MaxStudents {
			return nil, status.Errorf(codes.ResourceExhausted, "the room is full: it holds at most %d students", MaxStudents)
		}
		now := s.now()
		return &student{Name: name, Joined: now, Seen: now, Chapters: map[string][]step{}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &roompb.JoinReply{StudentId: id}, nil
}

// Report replaces the states of the chapters a student's command ran.
func (s *Server) Report(ctx context.Context, req *roompb.ReportRequest) (*roompb.ReportReply, error) {
	if n := len(req.GetChapters()); n == 0 || n > len(s.course.Chapters) {
		return nil, status.Errorf(codes.InvalidArgument, "a report has 1 to %d chapters, not %d", len(s.course.Chapters), n)
	}
	for _, c := range req.GetChapters() {
		if err := s.checkChapter(c); err != nil {
			return nil, err
		}
	}
	err := s.store.update(req.GetStudentId(), func(_ *state, stu *student) (*student, error) {
		if stu == nil {
			return nil, status.Error(codes.NotFound, "this room does not know you (was it started afresh?): join it again")
		}
		now := s.now()
		if !stu.allow(now) {
			return nil, status.Error(codes.ResourceExhausted, "too many reports: at most two a second")
		}
		stu.Seen = now
		for _, c := range req.GetChapters() {
			ch, _ := s.course.Chapter(c.GetDir())
			stu.Chapters[ch.Dir] = merge(stu.Chapters[ch.Dir], c, len(ch.Steps), now)
		}
		return stu, nil
	})
	if err != nil {
		return nil, err
	}
	return &roompb.ReportReply{}, nil
}

// Leave takes a student off the board.
func (s *Server) Leave(ctx context.Context, req *roompb.LeaveRequest) (*roompb.LeaveReply, error) {
	err := s.store.update(req.GetStudentId(), func(_ *state, stu *student) (*student, error) {
		if stu == nil {
			return nil, status.Error(codes.NotFound, "this room does not know you: there is nothing to leave")
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return &roompb.LeaveReply{}, nil
}

// checkName trims a name and refuses one that is empty, too long or not
// printable text.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", status.Error(codes.InvalidArgument, "a name is required: -name \"Your Name\"")
	case !utf8.ValidString(name) || strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return "", status.Error(codes.InvalidArgument, "a name must be printable text")
	case utf8.RuneCountInString(name) > MaxName:
		return "", status.Errorf(codes.InvalidArgument, "a name has at most %d characters", MaxName)
	}
	return name, nil
}

// checkChapter refuses a chapter report that does not fit the course.
func (s *Server) checkChapter(c *roompb.Chapter) error {
	ch, ok := s.course.Chapter(c.GetDir())
	if !ok || ch.Dir != c.GetDir() || !ch.Present() {
		return status.Errorf(codes.InvalidArgument, "no chapter %.40q in this workshop", c.GetDir())
	}
	if _, ok := roompb.Problem_name[int32(c.GetProblem())]; !ok {
		return status.Errorf(codes.InvalidArgument, "%s: unknown problem %d", ch.Dir, c.GetProblem())
	}
	if c.GetProblem() != roompb.Problem_PROBLEM_NONE {
		if len(c.GetSteps()) > 0 {
			return status.Errorf(codes.InvalidArgument, "%s: a chapter with a problem has no step states", ch.Dir)
		}
		return nil
	}
	if len(c.GetSteps()) != len(ch.Steps) {
		return status.Errorf(codes.InvalidArgument, "%s has %d steps, not %d", ch.Dir, len(ch.Steps), len(c.GetSteps()))
	}
	for i, st := range c.GetSteps() {
		switch {
		case st.GetState() == roompb.State_STATE_FAILING:
			if !isTestOf(ch.Steps[i], st.GetFailingTest()) {
				return status.Errorf(codes.InvalidArgument, "%s step %d has no test %.80q", ch.Dir, i+1, st.GetFailingTest())
			}
		case st.GetState() != roompb.State_STATE_NOT_STARTED && st.GetState() != roompb.State_STATE_DONE:
			return status.Errorf(codes.InvalidArgument, "%s step %d: unknown state %d", ch.Dir, i+1, st.GetState())
		case st.GetFailingTest() != "":
			return status.Errorf(codes.InvalidArgument, "%s step %d is not failing, so it has no failing test", ch.Dir, i+1)
		}
		if st.GetHints() < 0 || st.GetHints() > 100 {
			return status.Errorf(codes.InvalidArgument, "%s step %d: %d hints is not a count of hints", ch.Dir, i+1, st.GetHints())
		}
	}
	return nil
}

func isTestOf(s course.Step, test string) bool {
	for _, t := range s.Tests {
		if t == test {
			return true
		}
	}
	return false
}

// randomID names a student's row: 128 random bits.
func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
