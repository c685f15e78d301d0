package confyaml

// SetBy says where the value of key (a YAML path relative to what this
// decoder decoded, e.g. "k" inside a stage's config block) came from: the
// --set flag that gave it ("--set stages.cluster.config.k=5"), "file" when
// the config file gave it, or "" when neither did (the default applies).
func (d *Decoder) SetBy(key string) string {
	n, ok := d.pos[key]
	if !ok {
		return ""
	}
	if n != nil && n.GetToken() != nil {
		if flag, ok := d.overrides[n.GetToken()]; ok {
			return flag
		}
	}
	return "file"
}
