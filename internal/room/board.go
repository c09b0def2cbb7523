package room

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/rpcworkshop/workshop/internal/room/roompb"
)

//go:embed board.html
var boardPage []byte

// How the board follows the room.
const (
	boardEvery   = 250 * time.Millisecond // at most four views a second, however many reports arrive
	boardRefresh = 5 * time.Second        // a view at least this often, so that times and stuck marks move on
)

// View is the board as the page draws it.
type View struct {
	Code       string        `json:"code"`
	Join       string        `json:"join"` // the command students type
	StuckAfter string        `json:"stuckAfter"`
	Chapters   []ViewChapter `json:"chapters"`
	Students   []ViewStudent `json:"students"`
}

// ViewChapter is a chapter's columns.
type ViewChapter struct {
	Dir   string     `json:"dir"`
	Title string     `json:"title"`
	Steps []ViewStep `json:"steps"`
}

// ViewStep is a step's column.
type ViewStep struct {
	N      int    `json:"n"`
	Title  string `json:"title"`
	Passed int    `json:"passed"` // how many students have it done
}

// ViewStudent is a student's row.
type ViewStudent struct {
	Name string `json:"name"`
	// Cells has one letter per step, chapter after chapter: d done,
	// f failing, s stuck (failing, unchanged for StuckAfter), n not started.
	Cells   string         `json:"cells"`
	Failing map[int]string `json:"failing,omitempty"` // by cell: the failing test
	Where   string         `json:"where,omitempty"`   // the step worked on last: "04-server step 3"
	Test    string         `json:"test,omitempty"`    // its failing test
	For     string         `json:"for,omitempty"`     // how long it has been so: "12 min"
	Stuck   bool           `json:"stuck"`
	Hints   int            `json:"hints"`
	Seen    string         `json:"seen"` // since the last report: "2 min"
}

// View is the board as it stands.
func (s *Server) View() View {
	now := s.now()
	v := View{Code: s.Code(), Join: s.join, StuckAfter: minutes(s.stuckAfter)}
	for _, ch := range s.course.Chapters {
		if !ch.Present() {
			continue
		}
		vc := ViewChapter{Dir: ch.Dir, Title: ch.Title}
		for _, st := range ch.Steps {
			vc.Steps = append(vc.Steps, ViewStep{N: st.N, Title: st.Title})
		}
		v.Chapters = append(v.Chapters, vc)
	}
	s.store.read(func(st *state) {
		for _, stu := range st.Students {
			v.Students = append(v.Students, s.viewStudent(v.Chapters, stu, now))
		}
	})
	sort.Slice(v.Students, func(i, j int) bool {
		return strings.ToLower(v.Students[i].Name) < strings.ToLower(v.Students[j].Name)
	})
	col := 0 // the cell of each step, in every student's Cells
	for c := range v.Chapters {
		for i := range v.Chapters[c].Steps {
			for _, vs := range v.Students {
				if vs.Cells[col] == 'd' {
					v.Chapters[c].Steps[i].Passed++
				}
			}
			col++
		}
	}
	return v
}

func (s *Server) viewStudent(chapters []ViewChapter, stu *student, now time.Time) ViewStudent {
	vs := ViewStudent{Name: stu.Name, Seen: minutes(now.Sub(stu.Seen))}
	cells := []byte{}
	current, since := -1, time.Time{} // the failing step changed last
	for _, ch := range chapters {
		steps := stu.Chapters[ch.Dir]
		for i, vst := range ch.Steps {
			cell := byte('n')
			if i < len(steps) {
				st := steps[i]
				vs.Hints += int(st.Hints)
				switch st.State {
				case roompb.State_STATE_DONE:
					cell = 'd'
				case roompb.State_STATE_FAILING:
					cell = 'f'
					if vs.Failing == nil {
						vs.Failing = map[int]string{}
					}
					vs.Failing[len(cells)] = st.Test
					if current < 0 || st.Since.After(since) {
						current, since = len(cells), st.Since
						vs.Where, vs.Test = fmt.Sprintf("%s step %d", ch.Dir, vst.N), st.Test
					}
				}
			}
			cells = append(cells, cell)
		}
	}
	if current >= 0 {
		vs.For = minutes(now.Sub(since))
		if now.Sub(since) >= s.stuckAfter {
			vs.Stuck = true
			cells[current] = 's'
		}
	}
	vs.Cells = string(cells)
	return vs
}

// minutes says a duration the way a board does: "<1 min", "12 min", "1 h 5 min".
func minutes(d time.Duration) string {
	m := int(d / time.Minute)
	switch {
	case m < 1:
		return "<1 min"
	case m < 60:
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// board serves the page, the view as JSON, and the view as a stream of
// server-sent events, each to a client with the room code only. The
// streams end when closing is closed.
func (s *Server) board(closing <-chan struct{}) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
		w.Write(boardPage)
	})
	mux.HandleFunc("GET /board.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s.View())
	})
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) {
		s.events(w, r, closing)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.codeOK(r.URL.Query().Get("code")) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintln(w, "Wrong or missing room code: open the board's address exactly as room serve printed it, with ?code=<room code>.")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// events streams the view: again after every change (at most every
// boardEvery), and at least every boardRefresh.
func (s *Server) events(w http.ResponseWriter, r *http.Request, closing <-chan struct{}) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	for {
		changed := s.store.next()
		data, _ := json.Marshal(s.View())
		if _, err := fmt.Fprintf(w, "data: %s\n\n", data); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		select {
		case <-changed:
		case <-time.After(boardRefresh):
		case <-r.Context().Done():
			return
		case <-closing:
			return
		}
		select { // a moment more, so that a burst of reports makes one view
		case <-time.After(boardEvery):
		case <-r.Context().Done():
			return
		case <-closing:
			return
		}
	}
}

// Serve serves the room on ln until ctx ends: gRPC calls and the board on
// the same port, so that students and the board need one address and a
// firewall one rule. Then it stops: health goes NOT_SERVING, the board's
// streams end, calls in flight finish (for up to five seconds), and the
// room is saved.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	rpc := grpc.NewServer(grpc.UnaryInterceptor(s.checkCode), grpc.MaxRecvMsgSize(64<<10))
	roompb.RegisterRoomServer(rpc, s)
	healthy := health.NewServer()
	healthpb.RegisterHealthServer(rpc, healthy)

	closing := make(chan struct{})
	board := s.board(closing)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ProtoMajor == 2 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
				rpc.ServeHTTP(w, r)
				return
			}
			board.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    16 << 10,
		Protocols:         new(http.Protocols),
	}
	srv.Protocols.SetHTTP1(true)            // the board, for browsers
	srv.Protocols.SetUnencryptedHTTP2(true) // gRPC without TLS, as grpc.NewClient with insecure credentials speaks it
	srv.RegisterOnShutdown(func() { close(closing) })

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	healthy.Shutdown()
	stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil {
		srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return s.store.close()
}
