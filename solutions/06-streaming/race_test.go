//go:build race

package main

// raceEnabled is true when the tests run with -race, which makes every
// message some ten times slower: the longest tests send fewer.
const raceEnabled = true
