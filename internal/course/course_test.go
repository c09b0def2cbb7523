package course

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheWorkshopsCourseIsValid(t *testing.T) {
	c, err := Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Chapters) < 5 {
		t.Fatalf("course.json lists %d chapters, want at least the workshop's 5", len(c.Chapters))
	}
	for _, ch := range c.Chapters {
		if _, err := os.Stat(filepath.Join("..", "..", ch.Dir, "README.md")); err != nil {
			t.Errorf("%s is in course.json but has no README.md: %v", ch.Dir, err)
		}
	}
}

func TestStepOf(t *testing.T) {
	for name, want := range map[string]int{
		"TestStep1_Greet":       1,
		"TestStep12_Many":       12,
		"TestStep2_":            0,
		"TestGreet":             0,
		"TestStep3_Sub/case":    0,
		"FuzzStep1_Decode":      0,
		"TestStep4_ServeGRPC_X": 4,
	} {
		if got := StepOf(name); got != want {
			t.Errorf("StepOf(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestParseRejectsBrokenCourses(t *testing.T) {
	tests := map[string]struct{ json, want string }{
		"steps out of order":   {`{"chapters":[{"dir":"01-a","steps":[{"n":2,"title":"x"}]}]}`, "steps must be numbered 1, 2, 3"},
		"test of another step": {`{"chapters":[{"dir":"01-a","steps":[{"n":1,"title":"x","tests":["TestStep2_X"]}]}]}`, "does not start with TestStep1_"},
		"chapter twice":        {`{"chapters":[{"dir":"01-a"},{"dir":"01-a"}]}`, "repeated"},
		"not JSON":             {`{"chapters":`, "course.json"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestChapterLookup(t *testing.T) {
	c := &Course{Chapters: []Chapter{{Dir: "01-rpc-basics"}, {Dir: "02-protobuf"}}}
	for _, name := range []string{"02-protobuf", "02", "2"} {
		if ch, ok := c.Chapter(name); !ok || ch.Dir != "02-protobuf" {
			t.Errorf("Chapter(%q) = %q, %v; want 02-protobuf", name, ch.Dir, ok)
		}
	}
	if _, ok := c.Chapter("9"); ok {
		t.Error(`Chapter("9") found a chapter that does not exist`)
	}
}

func TestFindRoot(t *testing.T) {
	root, err := FindRoot(filepath.Join("..", "..", "01-rpc-basics"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, File)); err != nil {
		t.Fatalf("FindRoot returned %s, which has no %s", root, File)
	}
	if _, err := FindRoot(t.TempDir()); err == nil {
		t.Fatal("FindRoot outside the workshop returned no error")
	}
}
