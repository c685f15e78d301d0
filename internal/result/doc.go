// Package result holds what the stages leave in the run's State for later
// stages and the report: the ingest stage's Input, the eda stage's EDA, the
// cluster stage's Clusters (and Drift, when it compares with a previous
// model) and the profile stage's Profile.
//
// The types sit here rather than beside the stages because the report stage
// reads all of them and a stage never imports another stage. Each type's JSON
// form is also the stage's data file (eda.json, profile.json, drift.json):
// undefined numbers are NaN in Go and null in JSON.
package result
