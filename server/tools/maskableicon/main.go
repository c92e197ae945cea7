// Command maskableicon draws web/icon-maskable-512.png: the logo of
// web/icon.svg (a white magnifier) on the theme color up to the edges,
// scaled so that it lies inside the maskable safe zone (the circle of
// 40 % of the size around the center), which every launcher's mask keeps.
//
//	go run ./server/tools/maskableicon [-o web/icon-maskable-512.png]
package main

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const (
	size = 512
	// scale shrinks the logo of icon.svg (drawn on 512 × 512, the
	// magnifier's farthest point 225 from its middle) to 153 px from the
	// center, three quarters of the safe zone's radius (205 px).
	scale = 0.68
	ss    = 4 // samples per pixel and axis
)

var (
	theme = color.RGBA{0x1f, 0x5f, 0x8b, 0xff}
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// The magnifier of icon.svg: a ring around (256,256), radius 128, and a
// handle to (410,410), both 52 wide with round ends. The handle starts on
// the ring's middle line (icon.svg's starts inside it and shows a nub).
const (
	ringR  = 128.0
	stroke = 52.0
	handle = 256 + ringR/math.Sqrt2
)

// mid: the middle of the magnifier's bounding box (102…436), moved onto
// the icon's center.
const mid = (256 - ringR - stroke/2 + 410 + stroke/2) / 2

func inLogo(x, y float64) bool {
	// icon coordinates -> logo coordinates
	lx := (x-size/2)/scale + mid
	ly := (y-size/2)/scale + mid
	if d := math.Hypot(lx-256, ly-256); math.Abs(d-ringR) <= stroke/2 {
		return true
	}
	return segmentDist(lx, ly, handle, handle, 410, 410) <= stroke/2
}

func segmentDist(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := ((px-ax)*dx + (py-ay)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(px-(ax+t*dx), py-(ay+t*dy))
}

func main() {
	out := flag.String("o", "web/icon-maskable-512.png", "the PNG file to write")
	flag.Parse()
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	safe := 0.4 * size
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			n := 0
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					fx := float64(x) + (float64(sx)+0.5)/ss
					fy := float64(y) + (float64(sy)+0.5)/ss
					if inLogo(fx, fy) {
						n++
						if math.Hypot(fx-size/2, fy-size/2) > safe {
							log.Fatalf("the logo leaves the safe zone at (%.1f, %.1f)", fx, fy)
						}
					}
				}
			}
			a := float64(n) / (ss * ss)
			mix := func(b, f uint8) uint8 { return uint8(math.Round(float64(b)*(1-a) + float64(f)*a)) }
			img.SetRGBA(x, y, color.RGBA{mix(theme.R, white.R), mix(theme.G, white.G), mix(theme.B, white.B), 0xff})
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
