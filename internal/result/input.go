package result

// Input describes the input file as the ingest stage read it; the
// manifest records it.
type Input struct {
	Path      string   `json:"path"`
	Bytes     int64    `json:"bytes"`
	SHA256    string   `json:"sha256"`
	Rows      int      `json:"rows"`
	Columns   int      `json:"columns"`
	Delimiter string   `json:"delimiter"`
	Encoding  string   `json:"encoding"`
	BOM       bool     `json:"bom,omitempty"`
	Trimmed   []string `json:"trimmed_header_names,omitempty"`
	IDColumn  string   `json:"id_column,omitempty"`
}
