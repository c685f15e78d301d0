// Package pipeline is segment's core: the config schema and its strict
// decoding, the stage contract (Stage, Factory, Env), the typed State that
// flows between stages, the registry, the runner, the run directory and the
// manifest. It imports no stage; stages/stages.go lists them.
//
// A run:
//
//  1. Load decodes the YAML strictly (internal/confyaml), applies --set
//     overrides and ${VAR} expansion, decodes every
//     stage's `config:` into its factory's config type, validates it, and
//     checks that each stage's needs are provided by an earlier stage. All
//     problems are returned together, each as FILE:LINE:COL: stage "NAME"
//     (TYPE): KEY: message.
//  2. CheckColumns reads the input's header and checks every column a stage
//     refers to, following renames and new columns.
//  3. Run takes the output folder's lock, builds the run in
//     <out>/.tmp-<id>, runs the stages in order and, only when all
//     succeeded, writes manifest.json, renames the folder to <out>/<id> and
//     atomically repoints <out>/latest. A failure or a signal publishes
//     nothing: the manifest and the error go to <out>/failed/<id>/.
package pipeline
