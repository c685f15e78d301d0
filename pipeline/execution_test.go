package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

// sizedSource is a source that only tells its size.
type sizedSource struct{ size SourceSize }

func (s sizedSource) Schema(context.Context) ([]Field, error) { return nil, nil }
func (s sizedSource) Read(context.Context, []string) (*frame.Table, error) {
	return nil, nil
}
func (s sizedSource) Scan(context.Context, []string, int, func(*frame.Table) error) error {
	return nil
}
func (s sizedSource) Lineage() *result.Input { return nil }
func (s sizedSource) Close() error           { return nil }
func (s sizedSource) Size(_ context.Context, cols []string) (SourceSize, error) {
	out := s.size
	if len(cols) > 0 {
		out.Columns = len(cols)
	}
	return out, nil
}

// unsizedSource cannot tell its size (standard input, a query).
type unsizedSource struct{ sizedSource }

// TestResolveExecution: auto streams when BytesPerCell × rows × columns
// exceeds memory_limit and stays in memory when it fits or is unknown; a
// forced mode is kept; the reason names the numbers compared.
func TestResolveExecution(t *testing.T) {
	million := SourceSize{Rows: 1_000_000, Columns: 38, Bytes: 200_000_000, How: "estimated"}
	for _, tc := range []struct {
		name    string
		mode    string
		limit   string
		src     Source
		columns []string
		want    string
		reason  []string
		est     int64
	}{
		{"auto, too big", ModeAuto, "200MB", sizedSource{million}, nil, ModeStream,
			[]string{"auto:", "304.0 MB", "8 B × 1000000 rows × 38 columns", "exceeds memory_limit 200.0 MB"}, 304_000_000},
		{"auto, fits", ModeAuto, "1GB", sizedSource{million}, nil, ModeMemory,
			[]string{"auto:", "fits in memory_limit 1.0 GB"}, 304_000_000},
		{"auto, projection fits", ModeAuto, "200MB", sizedSource{million}, []string{"a", "b", "c"}, ModeMemory,
			[]string{"× 3 columns", "fits"}, 24_000_000},
		{"auto, unknown rows", ModeAuto, "100MB", sizedSource{SourceSize{Rows: -1, Columns: 38, Bytes: -1}}, nil, ModeMemory,
			[]string{"cannot be estimated", "execution.mode: stream"}, 0},
		{"auto, no sizer", ModeAuto, "100MB", unsizedSource{}, nil, ModeMemory,
			[]string{"cannot be estimated"}, 0},
		{"forced memory", ModeMemory, "100MB", sizedSource{million}, nil, ModeMemory,
			[]string{"execution.mode: memory"}, 304_000_000},
		{"forced stream", ModeStream, "", sizedSource{SourceSize{Rows: 10, Columns: 2}}, nil, ModeStream,
			[]string{"execution.mode: stream"}, 160},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &Config{Execution: defaultExecution()}
			cfg.Execution.Mode, cfg.Execution.MemoryLimit = tc.mode, tc.limit
			var src Source = tc.src
			if u, ok := tc.src.(unsizedSource); ok {
				src = struct{ Source }{u} // hides Size
			}
			ex := resolveExecution(context.Background(), cfg, &OpenedInput{Source: src, Columns: tc.columns})
			if ex.Mode != tc.want || ex.Requested != tc.mode || ex.EstimatedBytes != tc.est {
				t.Errorf("mode %s (requested %s), estimated %d B; want %s, %d B", ex.Mode, ex.Requested, ex.EstimatedBytes, tc.want, tc.est)
			}
			for _, r := range tc.reason {
				if !strings.Contains(ex.Reason, r) {
					t.Errorf("reason %q lacks %q", ex.Reason, r)
				}
			}
			if tc.limit != "" && ex.MemoryLimitFrom != "execution.memory_limit" {
				t.Errorf("memory limit from %q", ex.MemoryLimitFrom)
			}
			if tc.limit == "" && (!strings.Contains(ex.MemoryLimitFrom, "50%") || ex.MemoryLimit <= 0) {
				t.Errorf("default memory limit %d from %q", ex.MemoryLimit, ex.MemoryLimitFrom)
			}
			if (ex.Mode == ModeStream) != (ex.SampleRows > 0 && ex.BatchRows > 0) {
				t.Errorf("stream settings %d, %d in mode %s", ex.SampleRows, ex.BatchRows, ex.Mode)
			}
		})
	}
}

// TestMemoryLimit: memory_limit is a size with a unit or a share of the
// available memory; the default is half of it.
func TestMemoryLimit(t *testing.T) {
	const avail = 8 << 30
	for _, tc := range []struct {
		in    string
		bytes int64
		share float64
		err   string
	}{
		{"4GB", 4e9, 0, ""},
		{"512MiB", 512 << 20, 0, ""},
		{" 2 GiB", 2 << 30, 0, ""},
		{"2000000000", 2e9, 0, ""},
		{"50%", 4 << 30, 0.5, ""},
		{"0%", 0, 0, "percentage in (0, 100]"},
		{"150%", 0, 0, "percentage in (0, 100]"},
		{"10MB", 0, 0, "below 64 MB"},
		{"lots", 0, 0, "not a memory size"},
		{"4 XB", 0, 0, "not a memory size"},
	} {
		b, share, err := parseMemoryLimit(tc.in, avail)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || b != tc.bytes || share != tc.share {
			t.Errorf("%q: %d, %g, %v; want %d, %g", tc.in, b, share, err, tc.bytes, tc.share)
		}
	}
	if b, how := availableMemory(); b <= 0 || how == "" {
		t.Errorf("available memory %d (%s)", b, how)
	}
}
