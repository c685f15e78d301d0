//go:build race

package segment

// raceEnabled is true under -race: the Maven end-to-end test (two full
// runs) skips then; the concurrent runs of small jobs exercise the library.
const raceEnabled = true
