package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
)

// maxImageBytes bounds the size of one embedded image.
const maxImageBytes = 32 << 20

// loadImage picks the PNG among paths (else the SVG), reads it from the run
// folder dir and returns it as an Image with a data: URI. ok is false, with
// a reason, when there is nothing to embed.
func loadImage(dir string, paths []string, title, caption string) (img Image, ok bool, why string) {
	pick := ""
	for _, ext := range []string{".png", ".svg"} {
		for _, p := range paths {
			if strings.EqualFold(filepath.Ext(p), ext) && pick == "" {
				pick = p
			}
		}
	}
	if pick == "" {
		return Image{}, false, ""
	}
	b, err := os.ReadFile(filepath.Join(dir, pick))
	if err != nil {
		return Image{}, false, fmt.Sprintf("cannot embed %s: %v", pick, err)
	}
	if len(b) > maxImageBytes {
		return Image{}, false, fmt.Sprintf("%s is %d bytes, more than the %d an embedded image may have; it is left out of the HTML report", pick, len(b), maxImageBytes)
	}
	img = Image{Title: title, Caption: caption, Path: filepath.ToSlash(pick)}
	mime := "image/svg+xml"
	if strings.EqualFold(filepath.Ext(pick), ".png") {
		mime = "image/png"
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return Image{}, false, fmt.Sprintf("%s is not a readable PNG: %v", pick, err)
		}
		img.Width, img.Height = cfg.Width, cfg.Height
	}
	img.Src = "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)
	return img, true, ""
}
