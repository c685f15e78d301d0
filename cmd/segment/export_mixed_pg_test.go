package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/pgtest"
)

// telcoPath is IBM's telco churn table (not shipped; see
// ../shared/datasets/SOURCES.md).
const telcoPath = "../../../shared/datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv"

// telcoOdd are telco-shaped customers predict cannot score or scores with
// a category never seen in training: X01 has no payment method (a missing
// category under categorical_missing: error), X02 a contract never seen
// ("Three year": it mismatches every mode), X03 no tenure (a missing
// numeric feature), X04 an internet service never seen and no total
// charges (fillna gives 0).
const telcoOdd = `customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,Churn
X01,Female,0,Yes,No,12,Yes,No,DSL,No,No,No,No,No,No,Month-to-month,Yes,,55.5,666,No
X02,Male,1,No,No,40,Yes,Yes,Fiber optic,No,Yes,No,No,Yes,Yes,Three year,Yes,Electronic check,99.9,3996,No
X03,Male,0,No,No,,Yes,No,DSL,No,No,No,No,No,No,One year,No,Mailed check,45,900,No
X04,Female,0,Yes,Yes,2,Yes,No,Satellite,No,No,No,No,No,No,Month-to-month,Yes,Mailed check,30.25,,No
`

// TestExportPostgresMixed: the k-prototypes model of configs/telco_mixed.yaml
// (standardised tenure and charges, Contract, InternetService and
// PaymentMethod with γ per mismatch) as a PostgreSQL SELECT over the IBM
// telco table gives every customer predict's segment, second segment,
// outlier flag and distances (bit-identical: the same IEEE operations in the
// same order), and the run's assignments.csv segment; on odd customers it
// gives predict's reasons (a missing category, a missing number) and scores
// unseen categories as mismatching every mode, as predict does.
func TestExportPostgresMixed(t *testing.T) {
	if _, err := os.Stat(telcoPath); err != nil {
		t.Skipf("IBM telco table not found at %s", telcoPath)
	}
	if raceEnabled {
		t.Skip("a full run of the telco job: slow under the race detector")
	}
	dsn := pgtest.DSN(t)
	data, _ := filepath.Abs(telcoPath)
	cfg, _ := filepath.Abs("../../configs/telco_mixed.yaml")
	// TotalCharges holds " " for 11 customers: csvio reads them as missing,
	// so the table is loaded from what csvio reads (NULL there), not with a
	// COPY of the file (the server would refuse " " in a number column).
	sdsn, schema := pgtest.Schema(t, dsn)
	load := func(table, path string) {
		res, err := csvio.ReadFile(context.Background(), path, csvio.Options{})
		if err != nil {
			t.Fatal(err)
		}
		pgtest.LoadTable(t, sdsn, table, res.Table)
	}
	load("telco", data)
	odd := write(t, filepath.Join(t.TempDir(), "odd.csv"), telcoOdd)
	load("odd", odd)

	for _, v := range []struct {
		name string
		sets []string
		// reasons are the odd customers predict cannot score.
		reasons map[string]string
	}{
		// The shipped config without its 50 bootstraps and its elbow: the
		// model's k = 4 fit is the same.
		{"shipped", nil, map[string]string{
			"X01": `column "PaymentMethod": missing category (the model was fitted with categorical_missing: error)`,
			"X03": `column "tenure": missing value`,
		}},
		// An int column as a category (compared by its text) and missing
		// categories as a category of their own (X01 is scored).
		{"int category, missing as category", []string{"stages.cluster.categorical_features=[Contract, SeniorCitizen, PaymentMethod]", "stages.cluster.categorical_missing=category"},
			map[string]string{"X03": `column "tenure": missing value`}},
	} {
		t.Run(v.name, func(t *testing.T) {
			sets := append([]string{"input.path=" + data, "stages.cluster.stability=null", "stages.cluster.elbow=null"}, v.sets...)
			runDir := runJob(t, cfg, sets...)
			model := filepath.Join(runDir, "model.json")
			if m := read(t, model); !strings.Contains(m, `"schema_version": 3`) || !strings.Contains(m, `"categorical_features"`) {
				t.Fatalf("the run did not fit a k-prototypes model:\n%.400s", m)
			}
			for _, c := range []struct{ table, input string }{{"telco", data}, {"odd", odd}} {
				scored := filepath.Join(t.TempDir(), "scored.csv")
				if code, _, stderr := seg(t, "predict", "-m", model, "-i", c.input, "-o", scored, "--skip-invalid"); code != 0 {
					t.Fatalf("predict: exit %d\n%s", code, stderr)
				}
				want := readScored(t, scored)
				qualified := `"` + schema + `"."` + c.table + `"`
				code, sql, stderr := seg(t, "export", "-m", model, "--dialect", "postgres", "--table", qualified, "--check-dsn", sdsn)
				if code != 0 {
					t.Fatalf("export: exit %d\n%s", code, stderr)
				}
				got, _ := runSQL(t, sdsn, sql)
				compareScores(t, got, want)
				if c.table == "telco" {
					checkAssignments(t, runDir, got, true)
					continue
				}
				for _, id := range []string{"X01", "X02", "X03", "X04"} {
					reason, bad := v.reasons[id]
					switch {
					case bad && (got[id].reason != reason || got[id].segment != ""):
						t.Errorf("%s: reason %q, segment %q; want %q and no segment", id, got[id].reason, got[id].segment, reason)
					case !bad && (got[id].reason != "" || got[id].segment == "" || got[id].segment != want[id].segment):
						t.Errorf("%s: %+v; predict %+v", id, got[id], want[id])
					}
				}
			}
		})
	}
}
