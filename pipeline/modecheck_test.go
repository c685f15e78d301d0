package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
)

// pickyConfig is a stage config that refuses features in some modes: rank
// in stream and database, whole in stream, and weights (naming the weight
// column it was told of) in stream.
type pickyConfig struct {
	Rank  bool `yaml:"rank"`
	Whole bool `yaml:"whole"`
}

func (c *pickyConfig) CheckMode(f ModeFacts) error {
	var fe confyaml.FieldErrors
	if c.Rank {
		fe.Add("rank", "%v", UnsupportedMode(f.Mode, "ranks"))
	}
	if c.Whole && f.Mode == ModeStream {
		fe.Add("whole", "%v", UnsupportedMode(f.Mode, "the whole table"))
	}
	if f.WeightColumn != "" && f.Mode == ModeStream {
		fe.Add("", "%v", UnsupportedMode(f.Mode, "weights (column "+f.WeightColumn+")"))
	}
	return fe.Err()
}

// pickyStage fails the way a stage's runStream does when the run let it
// through: with its config's CheckMode.
type pickyStage struct{ cfg *pickyConfig }

func (s pickyStage) Run(ctx context.Context, env *Env, st *State) error {
	if env.Mode() == ModeMemory {
		return nil
	}
	return s.cfg.CheckMode(env.ModeFacts())
}

// dropperConfig is the config of a stage that drops column a.
type dropperConfig struct{}

func (c *dropperConfig) CheckColumns(s *Schema) { s.Remove("a") }

// tableReader reads the input into the State.
type tableReader struct{}

func (tableReader) Run(ctx context.Context, env *Env, st *State) error {
	in := env.Input()
	t, err := in.Source.Read(ctx, in.Columns)
	st.Table = t
	return err
}

// bigSource is a text source that says it holds a billion rows (for mode
// auto).
type bigSource struct{ *textSource }

func (s bigSource) Size(_ context.Context, cols []string) (SourceSize, error) {
	return SourceSize{Rows: 1_000_000_000, Columns: len(s.header), Bytes: -1, How: "said so"}, nil
}

// modeRegistry is testRegistry's stages plus picky, with the text source
// and "big" (input.format: big), which tells a billion rows.
func modeRegistry() *Registry {
	text := textFactory()
	big := textFactory()
	big.Format, big.Detect = "big", func(Probe) int { return DetectNo }
	open := text.Open
	big.Open = func(ctx context.Context, in *InputConfig) (Source, error) {
		s, err := open(ctx, in)
		if err != nil {
			return nil, err
		}
		return bigSource{s.(*textSource)}, nil
	}
	return NewRegistry(
		Factory{Type: "reader", Summary: "reads the input", Provides: []Slot{SlotTable},
			NewConfig: func() any { return &struct{}{} },
			New:       func(cfg any) (Stage, error) { return tableReader{}, nil }},
		Factory{Type: "renamer", Summary: "renames column a to b",
			NewConfig: func() any { return &renamerConfig{} },
			New:       func(cfg any) (Stage, error) { return renamer{}, nil }},
		Factory{Type: "dropper", Summary: "drops column a",
			NewConfig: func() any { return &dropperConfig{} },
			New:       func(cfg any) (Stage, error) { return renamer{}, nil }},
		Factory{Type: "picky", Summary: "refuses features in some modes",
			NewConfig: func() any { return &pickyConfig{} },
			New:       func(cfg any) (Stage, error) { return pickyStage{cfg.(*pickyConfig)}, nil }},
	).WithSources(NewSourceRegistry(text, big))
}

// modeConfig loads a job over d.csv ("a,b\n1,2\n") with the given input
// keys, execution block and stages.
func modeConfig(t *testing.T, input, execution, stages string) (*Config, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "version: 1\nname: test\ninput: {path: d.csv" + input + "}\nexecution: " + execution + "\nstages:\n  - type: reader\n" + stages
	cfg, err := LoadBytes(filepath.Join(dir, "c.yaml"), []byte(src), modeRegistry(), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, filepath.Join(dir, "runs")
}

const pickyStages = `  - type: picky
    config:
      rank: true
      whole: true
  - type: picky
    name: second
    config: {rank: true}
`

// TestCheckMode: Check reports every refusal of every stage in a mode the
// config names, located at its key (a refusal without a key at the
// stage), and none in modes memory and auto; the weight column a stage is
// told of is the one the column check followed through renames and drops.
func TestCheckMode(t *testing.T) {
	for _, tc := range []struct {
		name, input, exec, stages string
		want                      []string // the errors, in order
	}{
		{"stream", "", "{mode: stream}", pickyStages, []string{
			`c.yaml:9:13: stage "picky" (picky): rank: ranks is not available in execution mode stream; set execution.mode: memory`,
			`c.yaml:10:14: stage "picky" (picky): whole: the whole table is not available in execution mode stream`,
			`c.yaml:13:20: stage "second" (picky): rank: ranks is not available in execution mode stream`,
		}},
		{"memory", "", "{mode: memory}", pickyStages, nil},
		{"auto is decided by a run", "", "{mode: auto}", pickyStages, nil},
		{"weights followed through a rename", ", weight_column: a", "{mode: stream}", "  - type: renamer\n  - type: picky\n", []string{
			`c.yaml:8:5: stage "picky" (picky): weights (column b) is not available in execution mode stream`,
		}},
		{"weights dropped before the stage", ", weight_column: a", "{mode: stream}", "  - type: dropper\n  - type: picky\n", nil},
		{"no weights in memory", ", weight_column: a", "{mode: memory}", "  - type: picky\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, _ := modeConfig(t, tc.input, tc.exec, tc.stages)
			for _, headerOnly := range []bool{false, true} {
				err := Check(context.Background(), cfg, CheckOptions{HeaderOnly: headerOnly})
				if tc.want == nil {
					if err != nil {
						t.Errorf("header only %v: %v", headerOnly, err)
					}
					continue
				}
				var ces confyaml.ConfigErrors
				if !errors.As(err, &ces) || len(ces) != len(tc.want) {
					t.Fatalf("header only %v: got %v, want %d config errors", headerOnly, err, len(tc.want))
				}
				for i, w := range tc.want {
					if got := strings.TrimPrefix(ces[i].Error(), filepath.Dir(cfg.File)+"/"); !strings.HasPrefix(got, w) {
						t.Errorf("error %d:\n got %s\nwant %s", i, got, w)
					}
				}
			}
		})
	}
}

// TestCheckModeWithColumnErrors: the refusals come with the column check's
// errors, in one list by position; an input that cannot be opened does
// not hide them.
func TestCheckModeWithColumnErrors(t *testing.T) {
	cfg, _ := modeConfig(t, ", columns: [a, nope]", "{mode: stream}", pickyStages)
	err := Check(context.Background(), cfg, CheckOptions{})
	var ces confyaml.ConfigErrors
	if !errors.As(err, &ces) || len(ces) != 4 || !strings.Contains(ces[0].Error(), `input.columns[1]: unknown column "nope"`) || !strings.Contains(ces[1].Error(), "rank: ranks is not available") {
		t.Errorf("got %v", err)
	}
	cfg, _ = modeConfig(t, "", "{mode: stream}", pickyStages)
	cfg.Input.Path = confyaml.Path(filepath.Join(cfg.Dir, "gone.csv"))
	err = Check(context.Background(), cfg, CheckOptions{})
	var ie *InputError
	if !errors.As(err, &ces) || len(ces) != 3 || !errors.As(err, &ie) || !strings.Contains(err.Error(), "gone.csv") {
		t.Errorf("got %v", err)
	}
}

// TestRunRefusesBeforeReading: a run whose mode — forced, or chosen by
// auto from the input's size — cannot run a stage's features fails with
// every refusal before the lock, the run folder and the first stage:
// nothing is written. The same config runs in memory.
func TestRunRefusesBeforeReading(t *testing.T) {
	for _, tc := range []struct {
		name, input, exec string
		want              []string
	}{
		{"forced stream", "", "{mode: stream}", []string{
			`stage "picky" (picky): rank: ranks is not available in execution mode stream`,
			`stage "picky" (picky): whole: the whole table is not available in execution mode stream`,
			`stage "second" (picky): rank: ranks is not available in execution mode stream`,
		}},
		{"auto chose stream", ", format: big", "{mode: auto, memory_limit: 1GB}", []string{
			`stage "picky" (picky): rank: ranks is not available in execution mode stream`,
			`stage "picky" (picky): whole: the whole table is not available in execution mode stream`,
			`stage "second" (picky): rank: ranks is not available in execution mode stream`,
			"c.yaml:4:19: execution.mode: mode auto chose stream for this input (the input's estimated in-memory size 16.0 GB (8 B × 1000000000 rows × 2 columns) exceeds memory_limit 1.0 GB)",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, out := modeConfig(t, tc.input, tc.exec, pickyStages)
			res, err := Run(context.Background(), cfg, RunOptions{})
			var ces confyaml.ConfigErrors
			if res != nil || !errors.As(err, &ces) || len(ces) != len(tc.want) {
				t.Fatalf("got %v, %v; want %d config errors", res, err, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(ces[i].Error(), w) {
					t.Errorf("error %d:\n got %s\nwant %s", i, ces[i], w)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the output folder was created: %v", err)
			}
			// In memory the stages run (and picky has nothing to refuse).
			cfg.Execution.Mode = ModeMemory
			if _, err := Run(context.Background(), cfg, RunOptions{}); err != nil {
				t.Errorf("in memory: %v", err)
			}
		})
	}
}
