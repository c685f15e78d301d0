package model

import (
	"bytes"
	"os"
	"testing"
)

// FuzzParse: any bytes are refused with an error or accepted as a model
// that validates, writes and reads back to the same bytes, and scores a row
// without panicking.
func FuzzParse(f *testing.F) {
	var b bytes.Buffer
	if err := testModel().Write(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	if v1, err := os.ReadFile("testdata/v1/model.json"); err == nil {
		f.Add(v1)
	}
	f.Add([]byte(`{"schema_version": 2, "centers_scaled": [[NaN]]}`))
	f.Add([]byte(`{"schema_version": 1}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := Parse("model.json", src)
		if err != nil {
			return
		}
		var w1, w2 bytes.Buffer
		if err := m.Write(&w1); err != nil {
			t.Fatalf("an accepted model does not write: %v", err)
		}
		back, err := Parse("model.json", w1.Bytes())
		if err != nil {
			t.Fatalf("a written model does not read back: %v\n%s", err, w1.Bytes())
		}
		if err := back.Write(&w2); err != nil || !bytes.Equal(w1.Bytes(), w2.Bytes()) {
			t.Fatalf("round trip changed the model: %v", err)
		}
		X := make([]float64, m.Dim())
		m.Score(X, 1, true)
	})
}
