package room

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/room/roompb"
	"github.com/rpcworkshop/workshop/internal/testkit"
)

var (
	load      = flag.Bool("load", false, "run TestLoad: a room of 500 students reporting every 2 s")
	loadFor   = flag.Duration("load.for", 20*time.Second, "how long TestLoad reports")
	loadEvery = flag.Duration("load.every", 2*time.Second, "how often each of TestLoad's students reports")
)

// TestLoad fills a room with MaxStudents students, each reporting every
// 2 s on a new connection (as each workshop command is a new process),
// while a board follows the room. It measures how long a report takes
// (dial to reply: p99 under 50 ms) and how long an acknowledged report
// takes to reach the board (under 1 s).
func TestLoad(t *testing.T) {
	if !*load {
		t.Skip("the load test runs on request: go test -run TestLoad ./internal/room -load")
	}
	c, err := course.Load(testkit.Root(t))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(t.TempDir(), "room"), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := serveRoom(t, s, nil)
	cl := r.client(t, r.Code())

	// Every student joins and reports every chapter once: a room well
	// into the day, with a full state file.
	ids := make([]string, MaxStudents)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			var err error
			if ids[i], err = cl.Join(ctx(t), fmt.Sprintf("Student %03d", i)); err == nil {
				err = cl.Report(ctx(t), ids[i], chaptersDone(c, i%20, 0))
			}
			if err != nil {
				t.Error(err)
			}
		})
		if i%50 == 49 {
			wg.Wait()
		}
	}
	wg.Wait()
	firstChapter := chaptersDone(c, 0, 0)[0]

	// The board: when each student's hint count was first seen.
	seen := make([]map[int32]time.Time, MaxStudents)
	for i := range seen {
		seen[i] = map[int32]time.Time{}
	}
	var seenMu sync.Mutex
	events, err := http.Get("http://" + r.addr + "/events?code=" + r.Code())
	if err != nil {
		t.Fatal(err)
	}
	boardDone := make(chan struct{})
	go func() {
		defer close(boardDone)
		sc := bufio.NewScanner(events.Body)
		sc.Buffer(nil, 8<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			now := time.Now()
			var v View
			json.Unmarshal([]byte(data), &v)
			seenMu.Lock()
			for _, stu := range v.Students {
				var i int
				fmt.Sscanf(stu.Name, "Student %d", &i)
				if _, ok := seen[i][int32(stu.Hints)]; !ok {
					seen[i][int32(stu.Hints)] = now
				}
			}
			seenMu.Unlock()
		}
	}()

	// Each student reports every loadEvery, a random part of it apart
	// from the others; the report is new each time (one more hint).
	type ack struct {
		student int
		hints   int32
		at      time.Time
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		acks      []ack
		failures  []error
	)
	ctx, cancel := context.WithTimeout(context.Background(), *loadFor)
	defer cancel()
	for i := range ids {
		wg.Go(func() {
			time.Sleep(rand.N(*loadEvery))
			tick := time.NewTicker(*loadEvery)
			defer tick.Stop()
			for hints := int32(1); hints <= 100; hints++ {
				rep := &roompb.Chapter{Dir: firstChapter.Dir}
				for _, st := range firstChapter.Steps {
					rep.Steps = append(rep.Steps, &roompb.Step{State: st.State, FailingTest: st.FailingTest, Hints: hints})
				}
				start := time.Now()
				err := reportOnce(r.addr, r.Code(), ids[i], rep)
				took := time.Since(start)
				mu.Lock()
				latencies = append(latencies, took)
				if err != nil {
					failures = append(failures, err)
				} else {
					acks = append(acks, ack{i, hints, time.Now()})
				}
				mu.Unlock()
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
			}
		})
	}
	wg.Wait()
	time.Sleep(1500 * time.Millisecond) // let the board catch up
	events.Body.Close()
	<-boardDone

	var lags []time.Duration
	missing := 0
	seenMu.Lock()
	for _, a := range acks {
		// Each report sets every step's hints, so the row shows steps*hints.
		at, ok := seen[a.student][a.hints*int32(len(firstChapter.Steps))]
		if !ok {
			missing++
			continue
		}
		lags = append(lags, max(0, at.Sub(a.at)))
	}
	seenMu.Unlock()

	p := func(ds []time.Duration, q float64) time.Duration {
		slices.Sort(ds)
		return ds[min(len(ds)-1, int(q*float64(len(ds))))].Round(100 * time.Microsecond)
	}
	if avg, err := os.ReadFile("/proc/loadavg"); err == nil { // the machine's other work weighs on the figures
		t.Logf("load average (1, 5, 15 min) at the end: %s", strings.Join(strings.Fields(string(avg))[:3], ", "))
	}
	t.Logf("%d students, a report each every %v for %v: %d reports, %d failed, %.0f a second",
		MaxStudents, *loadEvery, *loadFor, len(latencies), len(failures), float64(len(latencies))/loadFor.Seconds())
	t.Logf("report latency (new connection, dial to reply): p50 %v, p99 %v, max %v", p(latencies, .5), p(latencies, .99), p(latencies, 1))
	if len(lags) > 0 {
		t.Logf("acknowledged report to board: p50 %v, p99 %v, max %v; %d never shown", p(lags, .5), p(lags, .99), p(lags, 1), missing)
	}
	if len(failures) > 0 {
		t.Errorf("%d reports failed, the first: %v", len(failures), failures[0])
	}
	if p99 := p(latencies, .99); p99 >= 50*time.Millisecond {
		t.Errorf("report latency p99 is %v, want under 50 ms", p99)
	}
	if missing > 0 || len(lags) == 0 || p(lags, 1) >= time.Second {
		t.Errorf("%d acknowledged reports never reached the board; the slowest took %v; want all, within 1 s", missing, p(lags, 1))
	}
}

// reportOnce is one workshop command's report: a new connection, one call.
func reportOnce(addr, code, id string, c *roompb.Chapter) error {
	cl, err := Dial(addr, code)
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return cl.Report(ctx, id, []*roompb.Chapter{c})
}
