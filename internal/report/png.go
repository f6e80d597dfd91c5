package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
)

// The PNG chart has the layout of the SVG chart at pngScale times its size, so it stays
// sharp when a word processor prints it at about 16 cm wide.
const (
	pngScale     = 2
	pngGlyphDots = 3 // pixels per dot of the 5×7 font at pngScale
)

// glyphs is a 5×7 dot font for what a chart's labels hold: digits and the marks of a
// Dutch number, "<5" and "*". Each row is 5 bits, the leftmost dot in bit 4.
var glyphs = map[rune][7]uint8{
	'0': {0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e},
	'1': {0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e},
	'2': {0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f},
	'3': {0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e},
	'4': {0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02},
	'5': {0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e},
	'6': {0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e},
	'7': {0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08},
	'8': {0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e},
	'9': {0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c},
	'<': {0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02},
	'>': {0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08},
	'*': {0x00, 0x04, 0x15, 0x0e, 0x15, 0x04, 0x00},
	',': {0x00, 0x00, 0x00, 0x00, 0x0c, 0x04, 0x08},
	'.': {0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c},
	'%': {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03},
	'-': {0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00},
	' ': {},
	'?': {0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04},
}

func rgb(c int) color.RGBA { return color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 0xff} }

// chartPNG draws a chart as a PNG image: the same axis, bars and labels as the SVG.
func chartPNG(c *chart) ([]byte, error) {
	const s = pngScale
	w, h := svgWidth*s, svgHeight*s
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(r image.Rectangle, col int) {
		draw.Draw(img, r, &image.Uniform{rgb(col)}, image.Point{}, draw.Src)
	}
	fill(img.Bounds(), 0xffffff)

	left, top := int(svgLeft)*s, int(svgTop)*s
	plotW := (svgWidth - int(svgLeft) - int(svgRight)) * s
	plotH := (svgHeight - int(svgTop) - int(svgBottom)) * s
	y := func(frac float64) int { return top + int(float64(plotH)*(1-frac)+0.5) }

	for _, t := range c.Ticks {
		ty := y(t.Frac)
		fill(image.Rect(left, ty-1, left+plotW, ty+1), colGrid)
		drawText(img, t.Label, left-8*s-textWidth(t.Label), ty-7*pngGlyphDots/2, colMuted)
	}
	slot := float64(plotW) / float64(max(len(c.Bars), 1))
	bw := int(min(slot*barShare, maxBarWidth*s))
	for i, b := range c.Bars {
		cx := left + int(slot*(float64(i)+0.5))
		if !b.Suppressed && b.Hi > b.Lo {
			r := image.Rect(cx-bw/2, y(b.Hi), cx-bw/2+bw, y(b.Lo))
			if b.Provisional {
				fill(r, colBarLight)
				for py := r.Min.Y; py < r.Max.Y; py++ {
					for px := r.Min.X; px < r.Max.X; px++ {
						if (px+py)%12 < 3 {
							img.SetRGBA(px, py, rgb(colBar))
						}
					}
				}
				outline(img, r, colBar)
			} else {
				fill(r, colBar)
			}
		}
		drawText(img, b.ValueLabel, cx-textWidth(b.ValueLabel)/2, y(b.Hi)-6*s-7*pngGlyphDots, colInk)
		drawText(img, b.Label, cx-textWidth(b.Label)/2, top+plotH+10*s, colMuted)
	}
	zy := y(c.Zero)
	fill(image.Rect(left, zy-1, left+plotW, zy+1), colMuted)

	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return nil, fmt.Errorf("encode chart png: %w", err)
	}
	return out.Bytes(), nil
}

func outline(img *image.RGBA, r image.Rectangle, col int) {
	u := &image.Uniform{rgb(col)}
	const t = 2
	for _, e := range []image.Rectangle{
		{r.Min, image.Pt(r.Max.X, r.Min.Y+t)},
		{image.Pt(r.Min.X, r.Max.Y-t), r.Max},
		{r.Min, image.Pt(r.Min.X+t, r.Max.Y)},
		{image.Pt(r.Max.X-t, r.Min.Y), r.Max},
	} {
		draw.Draw(img, e.Intersect(r), u, image.Point{}, draw.Src)
	}
}

// textWidth is the width in pixels of s in the dot font.
func textWidth(s string) int {
	n := 0
	for range s {
		n++
	}
	if n == 0 {
		return 0
	}
	return (n*6 - 1) * pngGlyphDots
}

// drawText draws s with its top left corner at (x, y); a character the font lacks is
// drawn as "?".
func drawText(img *image.RGBA, s string, x, y, col int) {
	c := rgb(col)
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			g = glyphs['?']
		}
		for row, bits := range g {
			for dot := range 5 {
				if bits&(0x10>>dot) == 0 {
					continue
				}
				for dy := range pngGlyphDots {
					for dx := range pngGlyphDots {
						img.SetRGBA(x+dot*pngGlyphDots+dx, y+row*pngGlyphDots+dy, c)
					}
				}
			}
		}
		x += 6 * pngGlyphDots
	}
}
