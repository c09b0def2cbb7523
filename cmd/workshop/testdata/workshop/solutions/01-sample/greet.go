// Package sample is a tiny chapter for the workshop command's tests.
package sample

import (
	"fmt"
	"strings"
)

// Greet says hello to name.
func Greet(name string) (string, error) {
	return fmt.Sprintf("Hello, %s!", name), nil
}

// WordCount counts the words of s.
func WordCount(s string) (int, error) {
	return len(strings.Fields(s)), nil
}
