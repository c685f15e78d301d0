//go:build race

package export_test

// raceEnabled is true under -race; the tests that run the whole shipped
// job (configs/churn.yaml, about a minute each under the race detector)
// skip then. The small jobs exercise the same code.
const raceEnabled = true
