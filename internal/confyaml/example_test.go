package confyaml_test

import (
	"fmt"

	"github.com/churnlab/segment/internal/confyaml"
)

// A job config with a wrong type, a typo and a missing key: every problem is
// reported at once, each at its line and column.
func Example() {
	type Job struct {
		Name  string   `yaml:"name,required"`
		Seed  uint64   `yaml:"seed"`
		Files []string `yaml:"files"`
	}
	src := []byte("seed: forty-two\nfiels: [a.csv]\n")
	root, errs := confyaml.Parse("job.yaml", src, "name, seed, files")
	if errs != nil {
		fmt.Println(errs)
		return
	}
	d := confyaml.NewDecoder(confyaml.Options{File: "job.yaml"})
	job := Job{Seed: 42}
	d.Decode(root, &job, "")
	for _, e := range d.TakeErrors("").Sorted() {
		fmt.Println(e)
	}
	// Output:
	// job.yaml:1:1: name: missing required key "name"
	// job.yaml:1:7: seed: expected an integer, got the string "forty-two"
	// job.yaml:2:1: fiels: unknown key "fiels" (did you mean "files"?)
}
