package version

import (
	"runtime"
	"strings"
	"testing"
)

func TestGet(t *testing.T) {
	v := Get()
	if v.GoVersion != runtime.Version() || v.Module != "github.com/churnlab/segment" || v.Version == "" {
		t.Errorf("Get() = %+v", v)
	}
	s := v.String()
	if !strings.HasPrefix(s, "segment ") || !strings.HasSuffix(s, runtime.Version()) {
		t.Errorf("String() = %q", s)
	}
	stamped := Info{Version: "v1.2.3", Revision: "0123456789abcdef0123", Modified: true, GoVersion: "go1.26"}
	if got := stamped.String(); got != "segment v1.2.3 rev 0123456789ab (modified), go1.26" {
		t.Errorf("stamped String() = %q", got)
	}
}

func TestReport(t *testing.T) {
	for _, tc := range []struct {
		in   Info
		want string
	}{
		{Info{Version: "(devel)", GoVersion: "go1.26.8"}, "segment development build, Go 1.26.8"},
		{Info{Version: "v1.2.3", Revision: "0123456789abcdef0123", Modified: true, GoVersion: "go1.26"}, "segment v1.2.3 (revision 0123456789ab, modified), Go 1.26"},
		{Info{Version: "v1.2.3", Revision: "abc", GoVersion: "go1.26"}, "segment v1.2.3 (revision abc), Go 1.26"},
	} {
		if got := tc.in.Report(); got != tc.want || strings.Contains(got, "buildvcs") {
			t.Errorf("Report() = %q, want %q", got, tc.want)
		}
	}
}
