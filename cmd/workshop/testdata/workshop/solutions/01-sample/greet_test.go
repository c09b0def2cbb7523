package sample

import (
	"strings"
	"testing"
)

func TestStep1_Greet(t *testing.T) {
	got, err := Greet("Ada")
	if err != nil && strings.Contains(err.Error(), "not implemented") {
		t.Fatalf("%v: open greet.go and follow step 1 in README.md", err)
	}
	if got != "Hello, Ada!" || err != nil {
		t.Fatalf("Greet(%q) = %q, %v; want %q, nil", "Ada", got, err, "Hello, Ada!")
	}
}

func TestStep2_WordCount(t *testing.T) {
	got, err := WordCount("one two  three")
	if err != nil && strings.Contains(err.Error(), "not implemented") {
		t.Fatalf("%v: open greet.go and follow step 2 in README.md", err)
	}
	if got != 3 || err != nil {
		t.Fatalf("WordCount(%q) = %d, %v; want 3, nil", "one two  three", got, err)
	}
}

func TestStep2_Empty(t *testing.T) {
	got, err := WordCount("")
	if err != nil && strings.Contains(err.Error(), "not implemented") {
		t.Fatalf("%v: open greet.go and follow step 2 in README.md", err)
	}
	if got != 0 || err != nil {
		t.Fatalf("WordCount(\"\") = %d, %v; want 0, nil", got, err)
	}
}

// A test without a step passes in the skeleton too.
func TestPackageBuilds(t *testing.T) {}
