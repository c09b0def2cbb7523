package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rpcworkshop/workshop/internal/course"
	"github.com/rpcworkshop/workshop/internal/markdown"
)

// HintsFile is the name of a chapter's hints, beside its README.
const HintsFile = "HINTS.md"

// stateDir holds what the command remembers between runs, under the root.
// It carries its own .gitignore, so git never sees it.
const stateDir = ".workshop"

// parseHints reads a HINTS.md: "## Step N" sections, each with
// "### Hint 1", "### Hint 2"... in order ("## 第 N 步" and "### 提示 1" in
// Chinese). It returns the hints per step.
func parseHints(text string) map[int][]string {
	hints := map[int][]string{}
	for _, s := range markdown.Parse([]byte(text)).Steps() {
		hints[s.N] = append(hints[s.N], s.Hints...)
	}
	return hints
}

// runHint shows the next hint for a step, one more each time it is asked.
func runHint(ctx context.Context, a *app, args []string) int {
	flags := newFlagSet("hint", "[chapter] [step] [--all]", "The next hint for a step; ask again for more.")
	var all bool
	flags.BoolVar(&all, "all", false, "show every hint of the step at once")
	flags.alias("a", "all")
	pos, code, ok := a.parseFlags(flags, args)
	if !ok {
		return code
	}
	if len(pos) > 2 {
		return a.fail(usagef("usage: %s hint [chapter] [step] [--all]", a.self()))
	}

	ch, s, err := a.hintTarget(ctx, pos)
	if errors.Is(err, errAllDone) {
		// Not a mistake: there is simply no next step to hint at.
		fmt.Fprintf(a.stdout, "Every step of %s passes: there is no next step to hint at.\n", ch.Dir)
		fmt.Fprintf(a.stdout, "  The hints of one step: %s hint %s <step>\n", a.self(), ch.Number())
		fmt.Fprintf(a.stdout, "  What is next:          %s\n", a.self())
		return exitOK
	}
	if err != nil {
		return a.fail(err)
	}

	path := a.hintsFile(ch)
	data, err := os.ReadFile(a.dir(path))
	if errors.Is(err, fs.ErrNotExist) {
		return a.fail(fmt.Errorf("%s has no hints yet (no %s); read %s", ch.Dir, path, a.readStep(ch, s.N)))
	} else if err != nil {
		return a.fail(err)
	}
	hints := parseHints(string(data))[s.N]
	if len(hints) == 0 {
		return a.fail(fmt.Errorf("%s has no hints for step %d; read %s", path, s.N, a.readStep(ch, s.N)))
	}

	seen := a.loadHintLevels()
	key := fmt.Sprintf("%s/%d", ch.Dir, s.N)
	from, to := seen[key], seen[key]+1
	if all {
		from, to = 0, len(hints)
	}
	to = min(to, len(hints))
	from = min(from, to-1)
	seen[key] = to
	if err := a.saveHintLevels(seen); err != nil {
		fmt.Fprintf(a.stderr, "workshop: cannot remember which hints you saw: %v\n", err)
	}

	for i := from; i < to; i++ {
		fmt.Fprintf(a.stdout, "%s\n\n%s\n\n", a.paint(bold, fmt.Sprintf("%s, step %d: %s. Hint %d of %d:", ch.Dir, s.N, s.Title, i+1, len(hints))), indent(hints[i]))
	}
	if to < len(hints) {
		fmt.Fprintf(a.stdout, "Still stuck? Ask again for hint %d: %s hint %s %d\n", to+1, a.self(), ch.Number(), s.N)
	} else {
		fmt.Fprintf(a.stdout, "That is the last hint for step %d. Still stuck? Compare with the solution: %s diff %s\n", s.N, a.self(), ch.Number())
	}
	return exitOK
}

// hintsFile is the chapter's HINTS.md, or its HINTS.zh-CN.md for a student
// whose language is Chinese, when the chapter has one.
func (a *app) hintsFile(ch course.Chapter) string {
	if strings.HasPrefix(a.lang, "zh") {
		zh := markdown.Twin(ch.Dir + "/" + HintsFile)
		if _, err := os.Stat(a.dir(zh)); err == nil {
			return zh
		}
	}
	return filepath.Join(ch.Dir, HintsFile)
}

// hintTarget finds the chapter and step a hint is for: as named, or the
// first step not done (of the chapter named, or the current chapter).
func (a *app) hintTarget(ctx context.Context, pos []string) (course.Chapter, course.Step, error) {
	if len(pos) == 2 {
		ch, err := a.chapter(pos[0], true)
		if err != nil {
			return ch, course.Step{}, err
		}
		s, err := step(ch, pos[1])
		return ch, s, err
	}
	var cs chapterState
	if len(pos) == 1 {
		ch, err := a.chapter(pos[0], true)
		if err != nil {
			return ch, course.Step{}, err
		}
		cs = a.testChapter(ctx, ch)
	} else {
		var ok bool
		if cs, ok = a.defaultChapter(ctx); !ok {
			return cs.ch, course.Step{}, usagef("no chapter is written yet, so there are no hints")
		}
	}
	next, notDone := cs.next()
	if !notDone {
		return cs.ch, course.Step{}, errAllDone
	}
	return cs.ch, next.step, nil
}

// errAllDone says that every step of the chapter passes.
var errAllDone = errors.New("every step passes")

// hintLevelsFile remembers, per chapter and step, how many hints were shown.
func (a *app) hintLevelsFile() string { return a.dir(filepath.Join(stateDir, "hints.json")) }

func (a *app) loadHintLevels() map[string]int {
	levels := map[string]int{}
	data, err := os.ReadFile(a.hintLevelsFile())
	if err == nil {
		json.Unmarshal(data, &levels) // a damaged file starts afresh
	}
	return levels
}

func (a *app) saveHintLevels(levels map[string]int) error {
	if err := a.makeStateDir(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(levels, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(a.hintLevelsFile(), append(data, '\n'), 0o644)
}

// forgetHints resets the hint levels of a chapter (after a reset).
func (a *app) forgetHints(ch course.Chapter) error {
	levels := a.loadHintLevels()
	changed := false
	for key := range levels {
		if strings.HasPrefix(key, ch.Dir+"/") {
			delete(levels, key)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	return a.saveHintLevels(levels)
}

// makeStateDir creates .workshop/ with a .gitignore that ignores it all.
func (a *app) makeStateDir() error {
	dir := a.dir(stateDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Stat(ignore); err == nil {
		return nil
	}
	return os.WriteFile(ignore, []byte("# The workshop command's own state: hints seen, chapters skipped, backups.\n*\n"), 0o644)
}
