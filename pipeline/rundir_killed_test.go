package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunAfterKilledRun: a run killed with SIGKILL leaves its lock, its
// .tmp-<id> folder and maybe a temporary latest link. The next run takes
// over the lock, removes the leftovers (keeping failed/<id>/error.txt as a
// trace, and a warning in its manifest) and publishes.
func TestRunAfterKilledRun(t *testing.T) {
	cfg, out := runConfig(t, "")
	if _, err := Run(context.Background(), cfg, RunOptions{Now: fixedClock("2026-11-23T01:00:00Z")}); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	killed := "20261123T020000Z-test"
	os.MkdirAll(filepath.Join(out, tmpPrefix+killed, "sub"), 0o755)
	os.WriteFile(filepath.Join(out, tmpPrefix+killed, "half.csv"), []byte("a,b\n1,"), 0o644)
	os.Symlink(killed, filepath.Join(out, ".latest-0123456789ab"))
	os.WriteFile(filepath.Join(out, LockName), []byte(`{"pid": 999999999, "host": "`+host+`", "started": "2026-11-23T02:00:00Z"}`), 0o644)

	res, err := Run(context.Background(), cfg, RunOptions{Now: fixedClock("2026-11-23T03:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{tmpPrefix + killed, ".latest-0123456789ab", LockName} {
		if _, err := os.Lstat(filepath.Join(out, gone)); err == nil {
			t.Errorf("%s is still there", gone)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, FailedDir, killed, "error.txt"))
	if err != nil || !strings.Contains(string(b), "run "+killed+" was killed before it finished") || !strings.Contains(string(b), "removed by run "+res.ID) {
		t.Errorf("error.txt %q %v", b, err)
	}
	w := res.Manifest.Warnings
	if len(w) != 1 || !strings.Contains(w[0].Message, "the unfinished folder of run "+killed+", which was killed before it finished") {
		t.Errorf("warnings %+v", w)
	}
	if link, _ := os.Readlink(filepath.Join(out, LatestName)); link != res.ID {
		t.Errorf("latest → %s", link)
	}
}
