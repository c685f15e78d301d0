package pipeline

// SetBy says where the value of key (a YAML path inside this stage's
// `config:` block, e.g. "k") came from: the --set flag that gave it
// ("--set stages.cluster.config.k=5"), "file" when the config file gave
// it, or "" when neither did (the default applies). A report can then say
// "k = 5, set on the command line" rather than "fixed in the config".
func (e *Env) SetBy(key string) string {
	if e.spec == nil || e.spec.dec == nil {
		return ""
	}
	return e.spec.dec.SetBy(key)
}
