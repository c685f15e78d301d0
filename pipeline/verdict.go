package pipeline

// VerdictKind names what a verdict is about; the segment command maps each
// kind to an exit code (drift: 3).
type VerdictKind string

// The verdict kinds stages give.
const (
	// VerdictDrift: a drift_fail threshold of the cluster stage was crossed.
	VerdictDrift VerdictKind = "drift"
	// VerdictLatest: the run was published, but the latest links could not
	// be moved to it (or the output folder not synced); given by the runner,
	// not a stage.
	VerdictLatest VerdictKind = "latest"
)

// Verdict is a stage's request that a run which succeeded still end with a
// non-zero exit once it is published: the run's results stand and `latest`
// moves, but a scheduler sees the failure (a nightly job whose segments
// drifted too far).
type Verdict struct {
	Stage   string      `json:"stage"`
	Kind    VerdictKind `json:"kind"`
	Reasons []string    `json:"reasons"`
}

// FailAfterPublish asks for a non-zero exit after the run is published,
// for the reasons given (each a sentence a person can act on). The manifest
// records the verdict, and Run returns a *VerdictError once the run is
// published. A run that fails anyway publishes nothing and drops its
// verdicts.
func (e *Env) FailAfterPublish(kind VerdictKind, reasons ...string) {
	if len(reasons) == 0 || e.verdicts == nil {
		return
	}
	*e.verdicts = append(*e.verdicts, Verdict{Stage: e.Name, Kind: kind, Reasons: reasons})
}

// verdictReasons lists the reasons of every verdict of one kind, in order.
func verdictReasons(vs []Verdict, kind VerdictKind) []string {
	var out []string
	for _, v := range vs {
		if v.Kind == kind {
			out = append(out, v.Reasons...)
		}
	}
	return out
}
