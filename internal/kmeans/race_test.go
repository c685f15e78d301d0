//go:build race

package kmeans

// raceEnabled is true under -race; the slowest statistical tests skip then.
const raceEnabled = true
