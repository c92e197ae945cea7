package site_test

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"github.com/supportal/supportal/web"
)

// TestMaskableIcon: web/icon-maskable-512.png (server/tools/maskableicon) is
// 512 × 512, the theme color up to its edges, and its logo stays inside the
// safe zone (the circle of 40 % of the size around the center) that every
// launcher's mask keeps.
func TestMaskableIcon(t *testing.T) {
	f, err := web.Files.Open("icon-maskable-512.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := img.Bounds(), image.Rect(0, 0, 512, 512); got != want {
		t.Fatalf("bounds %v, want %v", got, want)
	}
	theme := color.RGBAModel.Convert(color.RGBA{0x1f, 0x5f, 0x8b, 0xff})
	logo := 0
	for y := 0; y < 512; y++ {
		for x := 0; x < 512; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == theme {
				continue
			}
			logo++
			if d := math.Hypot(float64(x)+0.5-256, float64(y)+0.5-256); d > 0.4*512 {
				t.Fatalf("pixel (%d,%d) of the logo is %.0f px from the center, outside the safe zone (%.0f px)", x, y, d, 0.4*512)
			}
		}
	}
	if logo < 512*512/20 {
		t.Errorf("only %d pixels differ from the theme color: where is the logo?", logo)
	}
}
