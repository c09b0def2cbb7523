package sample

import "testing"

func TestStep1_Greet(t *testing.T) {
	got, err := Greet("you")
	if err != nil {
		t.Fatal(err)
	}
	if got != "Hello, you!" {
		t.Fatalf("Greet(%q) = %q, want %q", "you", got, "Hello, you!")
	}
}

func TestStep2_Shout(t *testing.T) {
	got, err := Shout("you")
	if err != nil {
		t.Fatal(err)
	}
	if got != "HELLO, YOU!" {
		t.Fatalf("Shout(%q) = %q, want %q", "you", got, "HELLO, YOU!")
	}
}
