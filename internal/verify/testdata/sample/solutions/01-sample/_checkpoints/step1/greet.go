// Package sample is the smallest chapter that holds the contract.
package sample

import (
	"errors"
	"fmt"
)

// Greet returns a greeting for name (step 1).
func Greet(name string) (string, error) {
	return fmt.Sprintf("Hello, %s!", name), nil
}

// Shout returns the greeting for name in capitals (step 2).
func Shout(name string) (string, error) {
	return "", errors.New("step 2: Shout is not implemented yet")
}
