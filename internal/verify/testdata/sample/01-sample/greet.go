// Package sample is the smallest chapter that holds the contract.
package sample

import "errors"

// Greet returns a greeting for name (step 1).
func Greet(name string) (string, error) {
	return "", errors.New("step 1: Greet is not implemented yet")
}

// Shout returns the greeting for name in capitals (step 2).
func Shout(name string) (string, error) {
	return "", errors.New("step 2: Shout is not implemented yet")
}
