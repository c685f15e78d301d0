package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestJSONLogKeys: with --log-format json every line of two nightly runs
// (the second compares with the first, so the cluster stage logs its
// "previous model" line) is one JSON object without a repeated key, and
// the clean stage's step lines give rows and columns as numbers, one key
// each.
func TestJSONLogKeys(t *testing.T) {
	if raceEnabled {
		t.Skip("two full runs of the shipped job; the logging is not concurrent")
	}
	cfg, _ := freshCheckout(t)
	var all []string
	for run := 1; run <= 2; run++ {
		code, _, stderr := cli(t, "run", "-c", cfg, "--log-format", "json")
		if code != 0 {
			t.Fatalf("run %d: exit %d\n%s", run, code, stderr)
		}
		all = append(all, strings.Split(strings.TrimSpace(stderr), "\n")...)
	}
	steps, previous := 0, 0
	for i, line := range all {
		if err := noDuplicateKeys(line); err != nil {
			t.Errorf("line %d: %v\n%s", i+1, err, line)
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		switch rec["msg"] {
		case "step done":
			steps++
			for _, k := range []string{"rows_in", "rows_out", "columns_in", "columns_out"} {
				if _, ok := rec[k].(float64); !ok {
					t.Errorf("clean step line: %s is %T, want a number: %s", k, rec[k], line)
				}
			}
			if _, ok := rec["rows"]; ok {
				t.Errorf("clean step line still has the text key rows: %s", line)
			}
		case "previous model":
			previous++
			if rec["previous_run"] == nil || rec["run"] == rec["previous_run"] {
				t.Errorf("previous model line: %s", line)
			}
		}
	}
	if steps != 4 || previous != 1 {
		t.Errorf("%d clean step lines (want 2 per run), %d previous model lines (want 1)", steps, previous)
	}
}

// noDuplicateKeys reports a key given twice in one JSON object (which
// encoding/json would silently accept, keeping the last).
func noDuplicateKeys(line string) error {
	dec := json.NewDecoder(strings.NewReader(line))
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key := k.(string)
				if seen[key] {
					return fmt.Errorf("key %q appears twice", key)
				}
				seen[key] = true
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	return walk()
}

func TestNoDuplicateKeys(t *testing.T) {
	if err := noDuplicateKeys(`{"a":1,"b":{"a":2},"c":[{"a":1,"b":2}]}`); err != nil {
		t.Error(err)
	}
	if err := noDuplicateKeys(`{"run":"x","k":[1],"run":"y"}`); err == nil || err.Error() != `key "run" appears twice` {
		t.Errorf("got %v", err)
	}
}
