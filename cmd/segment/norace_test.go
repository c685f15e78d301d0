//go:build !race

package main

// raceEnabled is true under -race; TestShippedConfigTwice (three full runs
// of the shipped job, about 70 s under the race detector) skips then.
const raceEnabled = false
