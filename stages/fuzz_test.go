package stages

import (
	"os"
	"testing"

	"github.com/churnlab/segment/pipeline"
)

// FuzzLoadConfig: any text given as a job config, decoded with every stage
// type, is a config or a list of located errors — never a panic — and a
// config that loads has an effective JSON (the manifest's copy).
func FuzzLoadConfig(f *testing.F) {
	for _, path := range []string{"../configs/churn.yaml", "../configs/engagement.yaml", "../configs/maven_churn.yaml", "testdata/clean.good.yaml", "testdata/cluster.good.yaml"} {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("version: 1\nname: x\ninput: {path: a.csv}\nstages: [{type: ingest}, {type: cluster, config: {features: [a], k: auto, tol: 1e-4}}]\n")
	reg := Registry()
	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := pipeline.LoadBytes("cfg/f.yaml", []byte(src), reg, pipeline.LoadOptions{
			LookupEnv: func(string) (string, bool) { return "", false }, WorkDir: "/w"})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if len(cfg.EffectiveJSON()) == 0 {
			t.Fatal("no effective config")
		}
	})
}
