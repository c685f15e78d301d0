package plotkit

import (
	"bufio"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Drawer is anything that draws itself on a canvas: *plot.Plot and
// *Heatmap satisfy it.
type Drawer interface {
	Draw(draw.Canvas)
}

// Margin is the blank border Save leaves around a *plot.Plot (gonum/plot
// itself draws up to the canvas edge). Other Drawers manage their own
// margins.
const Margin = vg.Length(8)

// drawOn fills the canvas with the background and draws d, inset by
// Margin when d is a *plot.Plot.
func drawOn(c draw.Canvas, d Drawer) {
	c.SetColor(Background)
	c.Fill(c.Rectangle.Path())
	if _, ok := d.(*plot.Plot); ok {
		c = draw.Crop(c, Margin, -Margin, Margin, -Margin)
	}
	d.Draw(c)
}

// PxToPt converts pixels to points at the theme's 96 dpi.
func PxToPt(px int) vg.Length { return vg.Length(float64(px) * pxToPoints) }

// maxPx bounds figure sizes to keep a mistaken size from exhausting memory.
const maxPx = 20000

func checkSize(wPx, hPx int) error {
	if wPx <= 0 || hPx <= 0 || wPx > maxPx || hPx > maxPx {
		return fmt.Errorf("figure size %d×%d px outside 1…%d", wPx, hPx, maxPx)
	}
	return nil
}

// Save draws d on a white wPx×hPx canvas and writes it to path, as PNG
// (".png": exactly wPx×hPx pixels at 96 dpi) or SVG (".svg": wPx·0.75 ×
// hPx·0.75 pt, the same size in CSS pixels). A *plot.Plot is inset by
// Margin. The same drawing always gives the same bytes.
func Save(d Drawer, path string, wPx, hPx int) error {
	format := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%w", err)
	}
	werr := Write(f, d, format, wPx, hPx)
	cerr := f.Close()
	if werr != nil {
		os.Remove(path)
		return werr
	}
	if cerr != nil {
		return fmt.Errorf("%w", cerr)
	}
	return nil
}

// Write draws d on a wPx×hPx canvas and writes it to w in format "png" or
// "svg" (see Save).
func Write(w io.Writer, d Drawer, format string, wPx, hPx int) error {
	if err := checkSize(wPx, hPx); err != nil {
		return err
	}
	switch format {
	case "png":
		img := image.NewRGBA(image.Rect(0, 0, wPx, hPx))
		c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(DPI))
		drawOn(draw.New(c), d)
		bw := bufio.NewWriter(w)
		enc := png.Encoder{CompressionLevel: png.DefaultCompression}
		if err := enc.Encode(bw, c.Image()); err != nil {
			return fmt.Errorf("encoding PNG: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("%w", err)
		}
		return nil
	case "svg":
		c := vgsvg.New(PxToPt(wPx), PxToPt(hPx))
		drawOn(draw.New(c), d)
		if _, err := c.WriteTo(w); err != nil {
			return fmt.Errorf("writing SVG: %w", err)
		}
		return nil
	}
	return fmt.Errorf("unsupported image format %q (want png or svg)", format)
}

// SaveAll saves d once per format ("png", "svg") as basePath + "." +
// format and returns the paths written.
func SaveAll(d Drawer, basePath string, formats []string, wPx, hPx int) ([]string, error) {
	if len(formats) == 0 {
		return nil, fmt.Errorf("SaveAll %s: no formats", basePath)
	}
	var paths []string
	for _, f := range formats {
		f = strings.ToLower(strings.TrimPrefix(f, "."))
		if f != "png" && f != "svg" {
			return paths, fmt.Errorf("unsupported image format %q (want png or svg)", f)
		}
		p := basePath + "." + f
		if err := Save(d, p, wPx, hPx); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
