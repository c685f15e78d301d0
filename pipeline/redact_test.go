package pipeline

import (
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
)

// TestOverrideText: passwords in --set values of dsn and *password keys
// never reach the manifest, the report or the recorded command.
func TestOverrideText(t *testing.T) {
	for _, tc := range []struct{ set, want string }{
		{"stages.export.database.dsn=postgres://ann:s3cret@db/x", "stages.export.database.dsn=postgres://ann:xxxxx@db/x"},
		{"input.dsn=host=/tmp dbname=x password=s3cret", "input.dsn=host=/tmp dbname=x password=xxxxx"},
		{"stages[3].config.database.DSN=host=/tmp password='a b'", "stages[3].config.database.DSN=host=/tmp password=xxxxx"},
		{"stages.x.smtp_password=s3cret", "stages.x.smtp_password=xxxxx"},
		{"stages.export.database.table=segments", "stages.export.database.table=segments"},
		{"stages.clean.steps[0].filter=a == 1", "stages.clean.steps[0].filter=a == 1"},
	} {
		o, err := confyaml.ParseOverride(tc.set)
		if err != nil {
			t.Fatal(err)
		}
		got := OverrideText(o)
		if got != tc.want || strings.Contains(got, "s3cret") {
			t.Errorf("%s: %s, want %s", tc.set, got, tc.want)
		}
	}
}
