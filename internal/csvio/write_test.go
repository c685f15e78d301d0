package csvio

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

func TestWriteCSV(t *testing.T) {
	tb, err := frame.New(
		frame.NewString("name", []string{"Smith, J", "say \"hi\"", "two\nlines", "plain", ""}, []bool{false, false, false, false, true}),
		frame.NewFloat("x", []float64{1.5, math.NaN(), math.Copysign(0, -1), 1e21, 1e-7}, nil),
		frame.NewInt("n", []int64{1, -2, 0, 4, 5}, []bool{false, false, true, false, false}),
		frame.NewBool("ok", []bool{true, false, true, false, true}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	before := renderTable(tb)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tb); err != nil {
		t.Fatal(err)
	}
	if after := renderTable(tb); !reflect.DeepEqual(before, after) {
		t.Errorf("WriteCSV changed the table: %q → %q", before, after)
	}
	want := "name,x,n,ok\n" +
		"\"Smith, J\",1.5,1,true\n" +
		"\"say \"\"hi\"\"\",,-2,false\n" +
		"\"two\nlines\",-0,,true\n" +
		"plain,1e+21,4,false\n" +
		",1e-07,5,true\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	// And back.
	path := filepath.Join(t.TempDir(), "w.csv")
	os.WriteFile(path, buf.Bytes(), 0o644)
	res, err := ReadFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := diffTables(tb, res.Table); d != "" {
		t.Error(d)
	}
}

// TestWriteRoundTrip reads each dataset, writes it and reads it again: the
// tables must be identical, bit for bit.
func TestWriteRoundTrip(t *testing.T) {
	for _, name := range []string{"telecom_customer_churn.csv", "WA_Fn-UseC_-Telco-Customer-Churn.csv",
		"Churn_Modelling.csv", "Mall_Customers.csv", "telecom_zipcode_population.csv", "telecom_data_dictionary.csv"} {
		path := dataset(t, name)
		opt := Options{}
		if name == "telecom_data_dictionary.csv" {
			opt.Encoding = "cp1252"
		}
		first, err := ReadFile(context.Background(), path, opt)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, first.Table); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), name)
		os.WriteFile(out, buf.Bytes(), 0o644)
		second, err := ReadFile(context.Background(), out, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d := diffTables(first.Table, second.Table); d != "" {
			t.Errorf("%s: %s", name, d)
		}
	}
}

type failWriter struct{}

func (failWriter) Write(p []byte) (int, error) { return 0, os.ErrClosed }

func TestWriteCSVError(t *testing.T) {
	tb, _ := frame.New(frame.NewInt("a", make([]int64, 100000), nil))
	if err := WriteCSV(failWriter{}, tb); err == nil {
		t.Error("no error from a failing writer")
	}
}
