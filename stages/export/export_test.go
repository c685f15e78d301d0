package export_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/churnlab/segment/stages/internal/stagetest"
)

// hostile is a customer table whose text cells and one column name start
// with the characters spreadsheets read as a formula.
const hostile = "id,=cmd,spend,visits,plan\n" +
	"0001,=HYPERLINK(\"http://evil.invalid\";\"x\"),10,1,basic\n" +
	"0002,+1 555 0100,12,2,basic\n" +
	"0003,-2+3,11,1,basic\n" +
	"0004,@SUM(A1:A2),50,5,premium\n" +
	"0005,\"\ttab\",55,6,premium\n" +
	"0006,\"\rcr\",52,5,premium\n" +
	"0007,plain,95,9,gold\n" +
	"0008,,90,10,gold\n"

const config = `version: 1
name: export-test
input: {path: {{input}}, id: id}
stages:
  - type: ingest
  - type: cluster
    config: {features: [spend, visits], k: 3, names: {1: Big spenders}}
  - type: export
    config:
      customers:
        columns: ["=cmd", spend, plan]
        formats: [csv, xlsx]
`

func runHostile(t *testing.T, sets ...string) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "hostile.csv")
	if err := os.WriteFile(in, []byte(hostile), 0o644); err != nil {
		t.Fatal(err)
	}
	return stagetest.Run(t, stagetest.WriteConfig(t, config, in), sets...).Dir
}

// TestCustomersCSV: id as in the input, segment, name, the chosen columns;
// every text cell and name that starts with = + - @ tab or CR gets a
// leading apostrophe; numbers are untouched.
func TestCustomersCSV(t *testing.T) {
	dir := runHostile(t)
	b, err := os.ReadFile(filepath.Join(dir, "customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	assigned, _ := os.ReadFile(filepath.Join(dir, "assignments.csv"))
	seg := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(assigned)), "\n")[1:] {
		id, s, _ := strings.Cut(l, ",")
		seg[id] = s
	}
	want := "id,segment,segment_name,'=cmd,spend,plan\n" +
		"0001,%s,%s,\"'=HYPERLINK(\"\"http://evil.invalid\"\";\"\"x\"\")\",10,basic\n" +
		"0002,%s,%s,'+1 555 0100,12,basic\n" +
		"0003,%s,%s,'-2+3,11,basic\n" +
		"0004,%s,%s,'@SUM(A1:A2),50,premium\n" +
		"0005,%s,%s,'\ttab,55,premium\n" +
		"0006,%s,%s,\"'\rcr\",52,premium\n" +
		"0007,%s,%s,plain,95,gold\n" +
		"0008,%s,%s,,90,gold\n"
	var args []any
	for i := 1; i <= 8; i++ {
		s := seg["000"+strconv.Itoa(i)]
		name := "Segment " + s
		if s == "1" {
			name = "Big spenders"
		}
		args = append(args, s, name)
	}
	if got := string(b); got != sprintf(want, args...) {
		t.Errorf("customers.csv\n%q\nwant\n%q", got, sprintf(want, args...))
	}
}

func sprintf(format string, args ...any) string {
	var b strings.Builder
	k := 0
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) && format[i+1] == 's' {
			b.WriteString(args[k].(string))
			k++
			i++
			continue
		}
		b.WriteByte(format[i])
	}
	return b.String()
}

// TestCustomersWorkbook: two sheets; customers as in the CSV with numbers
// as numbers and text as it is, in string cells (never formulas, so no
// apostrophe); one row per segment with size, share,
// means and the most frequent plan; the same rows give the same bytes on 1
// or 2 cores.
func TestCustomersWorkbook(t *testing.T) {
	dir := runHostile(t)
	path := filepath.Join(dir, "customers.xlsx")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Customers" || got[1] != "Segments" {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows("Customers")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], "|") != "id|segment|segment_name|=cmd|spend|plan" || len(rows) != 9 {
		t.Fatalf("customers sheet: %q", rows)
	}
	if formula, _ := f.GetCellFormula("Customers", "D1"); formula != "" {
		t.Errorf("header D1 holds the formula %q", formula)
	}
	wantText := []string{"=HYPERLINK(\"http://evil.invalid\";\"x\")", "+1 555 0100", "-2+3", "@SUM(A1:A2)", "\ttab", "\rcr", "plain"}
	for i, w := range wantText {
		if rows[i+1][3] != w {
			t.Errorf("row %d: %q, want %q", i+2, rows[i+1][3], w)
		}
		// Text is a string cell, never a formula.
		cell := "D" + strconv.Itoa(i+2)
		if formula, _ := f.GetCellFormula("Customers", cell); formula != "" {
			t.Errorf("row %d holds the formula %q", i+2, formula)
		}
		if typ, _ := f.GetCellType("Customers", cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("row %d is a %v cell, want a string", i+2, typ)
		}
	}
	if rows[1][0] != "0001" {
		t.Errorf("id %q, want 0001", rows[1][0])
	}
	if typ, _ := f.GetCellType("Customers", "E2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("spend is written as text (%v)", typ)
	}
	segs, err := f.GetRows("Segments")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(segs[0], "|"); got != "segment|segment_name|customers|share|top =cmd|top =cmd share|mean spend|top plan|top plan share" {
		t.Errorf("segments header %q", got)
	}
	const tol = 1e-12
	if len(segs) != 4 || segs[1][0] != "1" || segs[1][1] != "Big spenders" {
		t.Fatalf("segments %q", segs)
	}
	var gold []string // the segment of the two big spenders
	for _, r := range segs[1:] {
		if r[7] == "gold" {
			gold = r
		}
	}
	if gold == nil || gold[2] != "2" || gold[3] != "0.25" || gold[8] != "1" {
		t.Fatalf("segments %q", segs)
	}
	if mean, _ := strconv.ParseFloat(gold[6], 64); math.Abs(mean-92.5) > tol {
		t.Errorf("mean spend of the gold segment: %v, want 92.5", mean)
	}
	var total, shareSum float64
	for _, r := range segs[1:] {
		c, _ := strconv.ParseFloat(r[2], 64)
		s, _ := strconv.ParseFloat(r[3], 64)
		total += c
		shareSum += s
	}
	if total != 8 || math.Abs(shareSum-1) > 1e-9 { // shares as displayed (15 digits)
		t.Errorf("customers %v, shares sum to %v", total, shareSum)
	}

	// Byte-identical on another run, on 1 core.
	first, _ := os.ReadFile(path)
	prev := runtime.GOMAXPROCS(1)
	again := runHostile(t)
	runtime.GOMAXPROCS(prev)
	second, _ := os.ReadFile(filepath.Join(again, "customers.xlsx"))
	if !bytes.Equal(first, second) {
		t.Error("customers.xlsx differs between two runs of the same data")
	}
}

// TestExportConfig: bad keys are config errors naming the key.
func TestExportConfig(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "hostile.csv")
	os.WriteFile(in, []byte(hostile), 0o644)
	for _, tc := range []struct{ set, want string }{
		{"stages.export.customers.formats=[pdf]", `customers.formats[0]: unknown format "pdf" (want csv, xlsx or parquet)`},
		{"stages.export.customers.file=../../x", `customers.file: "../../x" is not a file name`},
		{"stages.export.customers.columns=[id]", `customers.columns[0]: "id" is the id column (input.id); it is always the first column`},
		{"stages.export.customers.columns=[spnd]", `unknown column "spnd" (did you mean "spend"?)`},
	} {
		_, err := stagetest.Load(t, stagetest.WriteConfig(t, config, in), tc.set)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.set, err, tc.want)
		}
	}
	// An id column named like a column the export adds is refused when the
	// config is checked (it used to fail the run with "duplicate column
	// name" after every stage had run), whatever the formats.
	seg := filepath.Join(dir, "segment-id.csv")
	os.WriteFile(seg, []byte(strings.Replace(hostile, "id,", "segment,", 1)), 0o644)
	src := strings.Replace(config, "id: id}", "id: segment}", 1)
	_, err := stagetest.Load(t, stagetest.WriteConfig(t, src, seg))
	if want := `customers: the id column "segment" has the name of a column the export adds; rename it with a clean step first`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("id column segment: %v, want %q", err, want)
	}
}

// TestWorkbookWithProfile: after a profile stage, the segments sheet has
// the profile's traits and names (its names: renames a segment).
func TestWorkbookWithProfile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "hostile.csv")
	os.WriteFile(in, []byte(hostile), 0o644)
	src := strings.Replace(config, "  - type: export", "  - type: profile\n    config: {names: {2: Middle}, plots: [sizes]}\n  - type: export", 1)
	run := stagetest.Run(t, stagetest.WriteConfig(t, src, in))
	f, err := excelize.OpenFile(filepath.Join(run.Dir, "customers.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	segs, _ := f.GetRows("Segments")
	if segs[0][4] != "traits" || segs[2][1] != "Middle" || !strings.Contains(segs[1][4], "spend") {
		t.Errorf("segments %q", segs)
	}
	customers, _ := os.ReadFile(filepath.Join(run.Dir, "customers.csv"))
	if !strings.Contains(string(customers), ",Middle,") {
		t.Errorf("customers.csv does not use the profile's name:\n%s", customers)
	}
}
