package plotcfg

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
)

func TestChecks(t *testing.T) {
	var fe confyaml.FieldErrors
	Formats{"png", "gif", "png"}.Check(&fe, "formats")
	Formats{}.Check(&fe, "f2")
	Size{W: 100, H: 600}.Check(&fe, "size", 128, 8192)
	Palette{Stops: []string{"#zzz", "#fff"}}.Check(&fe, "palette")
	DefaultPalette().Check(&fe, "ok")
	got := fe.Error()
	for _, want := range []string{
		`formats[1]: unknown format "gif" (want png or svg)`,
		`formats[2]: format "png" is listed twice`,
		`f2: list at least one of png, svg`,
		`size: width 100 px outside 128…8192`,
		`palette: `,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if len(fe) != 5 {
		t.Errorf("%d errors:\n%s", len(fe), got)
	}
}

func TestJSON(t *testing.T) {
	b, _ := json.Marshal(struct {
		S Size
		P Palette
		Q Palette
	}{Size{3, 4}, DefaultPalette(), Palette{Stops: []string{"#000", "#fff"}}})
	if string(b) != `{"S":[3,4],"P":"blue-white-red","Q":["#000","#fff"]}` {
		t.Errorf("got %s", b)
	}
}
