// Package docstest holds the tests of what the docs say: the commands they
// show exist and take the flags they are given, the instructor's guide
// quotes messages the tests really print, and the docs' examples run. The
// links of every Markdown page are checked by verify.
package docstest
