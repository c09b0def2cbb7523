package sample

// Names are the people the tests greet: given, the same in the chapter
// and its solution.
var Names = []string{"you", "Ada"}
