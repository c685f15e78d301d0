// Package confyaml decodes segment's YAML config files strictly into Go
// structs and reports every problem at once, each located in the file.
//
// goccy/go-yaml parses the text (Parse) and keeps line and column of every
// node; a Decoder walks the nodes by reflection (its own strict decoding stops
// at the first error):
//
//   - struct fields are matched by their `yaml:"name"` tag; ",required" makes
//     a key mandatory and ",inline" flattens an embedded struct;
//   - unknown keys ("did you mean"), wrong types, repeated and missing keys
//     are all collected, with their YAML path ("steps[2].fillna.Age");
//   - strings go through ${VAR} and ${VAR:-default} expansion (ExpandEnv);
//   - a type with several YAML shapes ("k: 4" or "k: auto") implements
//     NodeDecoder; Path resolves relative paths against the config's folder.
//
// --set flags (Override, ApplyOverride) edit the parsed document before it
// is decoded, and errors about their values point at the flag instead of a
// line. Validate methods of config types report FieldErrors keyed by YAML
// paths; Decoder.Locate turns them into ConfigErrors with positions.
//
// The package knows nothing about pipelines or stages except one convention
// of the config format: --set stages.NAME.key addresses the `config:` block
// of the stage named NAME. pipeline.Load uses it for the whole file; stage
// configs use it for their own blocks.
package confyaml
