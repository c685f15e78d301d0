package report

import (
	"context"
	"io"

	"github.com/churnlab/segment/pipeline"
)

// Artifact file names (prefixed with "<stage name>-" when the stage's name
// differs from its type).
const (
	FileHTML     = "report.html"
	FileMarkdown = "report.md"
)

// Factory describes the report stage.
func Factory() pipeline.Factory {
	return pipeline.Factory{
		Type:      "report",
		Summary:   "one self-contained report.html (images inline, no scripts, prints cleanly) and report.md: run summary, data quality, EDA, k selection, segment profiles and plots, hypotheses, reproducibility",
		Needs:     []pipeline.Slot{pipeline.SlotTable},
		NewConfig: NewConfig,
		New:       func(cfg any) (pipeline.Stage, error) { return &stage{cfg: cfg.(*Config)}, nil },
	}
}

type stage struct{ cfg *Config }

func (s *stage) Run(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	in := buildInput{cfg: s.cfg, run: env.Config, runID: env.RunID, dir: env.Dir, execution: env.Execution()}
	in.images = func(paths []string, title, caption string) (Image, bool) {
		img, ok, why := loadImage(env.Dir, paths, title, caption)
		if why != "" {
			env.Warn("%s", why)
		}
		return img, ok
	}
	v := build(in, st)
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, f := range s.cfg.Formats {
		var err error
		switch f {
		case "html":
			_, err = env.WriteFile(FileHTML, "report", "Report (self-contained HTML)", func(w io.Writer) error { return RenderHTML(w, v) })
		case "md":
			_, err = env.WriteFile(FileMarkdown, "report", "Report (Markdown)", func(w io.Writer) error { return RenderMarkdown(w, v) })
		}
		if err != nil {
			return err
		}
	}
	return nil
}
