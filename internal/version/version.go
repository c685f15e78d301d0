// Package version reports which build of segment is running, from the
// module and VCS information Go stamps into the binary.
package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Info identifies a build.
type Info struct {
	Module    string `json:"module"`
	Version   string `json:"version"`            // module version, "(devel)" for a source build
	Revision  string `json:"revision,omitempty"` // VCS commit, when stamped
	Time      string `json:"vcs_time,omitempty"`
	Modified  bool   `json:"vcs_modified,omitempty"`
	GoVersion string `json:"go_version"`
}

var (
	once sync.Once
	info Info
)

// Get returns the build information (computed once).
func Get() Info {
	once.Do(func() {
		info = Info{Module: "github.com/churnlab/segment", Version: "(devel)", GoVersion: runtime.Version()}
		bi, ok := debug.ReadBuildInfo()
		if !ok {
			return
		}
		if bi.Main.Path != "" {
			info.Module = bi.Main.Path
		}
		if bi.Main.Version != "" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	})
	return info
}

// String is a one-line summary such as
// "segment (devel) rev 1a2b3c4 (modified), go1.26.8".
func (i Info) String() string {
	s := "segment " + i.Version
	switch {
	case i.Revision != "":
		r := i.Revision
		if len(r) > 12 {
			r = r[:12]
		}
		s += " rev " + r
		if i.Modified {
			s += " (modified)"
		}
	default:
		s += " (no VCS revision stamped: build with -buildvcs=true inside the git checkout)"
	}
	return s + ", " + i.GoVersion
}

// Report is the build for a report a board reads, without the developer
// advice String gives when no revision is stamped: "segment v1.2.3
// (revision 0123456789ab, modified), Go 1.26.8", or "segment development
// build, Go 1.26.8".
func (i Info) Report() string {
	s := "segment " + i.Version
	if i.Version == "(devel)" || i.Version == "" {
		s = "segment development build"
	}
	if i.Revision != "" {
		r := i.Revision
		if len(r) > 12 {
			r = r[:12]
		}
		s += " (revision " + r
		if i.Modified {
			s += ", modified"
		}
		s += ")"
	}
	return s + ", Go " + strings.TrimPrefix(i.GoVersion, "go")
}
