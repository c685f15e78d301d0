package result

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestKScoreJSONWritesNaNAsNull(t *testing.T) {
	b, err := json.Marshal(Clusters{Selection: []KScore{{K: 1, Inertia: 2, Silhouette: math.NaN(), CalinskiHarabasz: math.NaN(), DaviesBouldin: math.Inf(1), Separation: math.NaN()}, {K: 2, Silhouette: 0.5}}})
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, `{"k":1,"inertia":2,"silhouette_sample":0,"chosen":false,"silhouette":null,"calinski_harabasz":null,"davies_bouldin":null,"separation":null}`) || !strings.Contains(s, `"silhouette":0.5`) {
		t.Errorf("got %s", s)
	}
}

func TestProfileJSONWritesNaNAsNull(t *testing.T) {
	p := Profile{
		Categorical: []CategoricalProfile{{Column: "Contract", Levels: []string{"a"}, Overall: []float64{1}, Shares: [][]float64{{1}, {math.NaN()}}, Counts: [][]int{{3}, {0}}}},
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"shares":[[1],[null]]`) {
		t.Errorf("got %s", b)
	}
}
