// Package sample is a tiny chapter for the workshop command's tests.
package sample

import (
	"errors"
	"fmt"
)

// Greet says hello to name.
func Greet(name string) (string, error) {
	return fmt.Sprintf("Hello, %s!", name), nil
}

// WordCount counts the words of s.
func WordCount(s string) (int, error) {
	return 0, errors.New("step 2: WordCount is not implemented yet")
}
