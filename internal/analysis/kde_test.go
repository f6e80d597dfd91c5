package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// kdeBrute is the density written straight from the formula: every event against every
// cell centre.
func kdeBrute(g Grid, events []Event, weights []float64, h float64) []float64 {
	out := make([]float64, g.Cells())
	for i := range out {
		cx, cy := g.Center(i)
		for j, e := range events {
			d2 := (cx-e.X)*(cx-e.X) + (cy-e.Y)*(cy-e.Y)
			if d2 >= h*h {
				continue
			}
			w := 1.0
			if weights != nil {
				w = weights[j]
			}
			k := 3 / (math.Pi * h * h) * (1 - d2/(h*h)) * (1 - d2/(h*h))
			out[i] += w * k * g.Size * g.Size
		}
	}
	return out
}

func uniformEvents(r *rand.Rand, n int, minX, minY, maxX, maxY float64) []Event {
	events := make([]Event, n)
	for i := range events {
		events[i] = Event{X: minX + r.Float64()*(maxX-minX), Y: minY + r.Float64()*(maxY-minY)}
	}
	return events
}

func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}

func TestKDEMatchesFormula(t *testing.T) {
	// Events inside, on the edge of and outside the grid (those still reach into it),
	// and one far away; only cells within the bandwidth may be visited, but the result
	// must equal the density over all cells.
	g := Grid{X0: 1000, Y0: 2000, Size: 25, NX: 30, NY: 20}
	r := rand.New(rand.NewPCG(1, 2))
	events := uniformEvents(r, 200, 900, 1900, 1850, 2600)
	events = append(events, Event{X: 1000, Y: 2000}, Event{X: 1e12, Y: -1e12}, Event{X: math.NaN(), Y: 2100})
	weights := make([]float64, len(events))
	for i := range weights {
		weights[i] = r.Float64() * 3
	}
	for _, h := range []float64{10, 25, 60, 333} {
		got, err := KDEWeighted(g, events, weights, h)
		if err != nil {
			t.Fatal(err)
		}
		want := kdeBrute(g, events[:len(events)-1], weights, h) // the NaN event adds nothing
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
				t.Fatalf("bandwidth %v: cell %d = %v, want %v", h, i, got[i], want[i])
			}
		}
	}
}

func TestKDEConservesMass(t *testing.T) {
	// Every event, wherever it falls in its cell, must spread about one event over the
	// cells, or a map of "expected events" lies. Events are kept more than a bandwidth
	// from the edge of the grid.
	tests := []struct {
		cells float64 // bandwidth in cells
		tol   float64 // relative, per event
	}{
		{cells: 2, tol: 0.02},
		{cells: 3, tol: 0.005},
		{cells: 5, tol: 0.001},
		{cells: 12.5, tol: 0.0001},
	}
	g := Grid{Size: 10, NX: 100, NY: 100}
	for _, tt := range tests {
		for i := range 6 {
			for j := range 6 {
				e := Event{X: 500 + float64(i)*2, Y: 500 + float64(j)*2}
				d, err := KDE(g, []Event{e}, tt.cells*g.Size)
				if err != nil {
					t.Fatal(err)
				}
				if got := sum(d); math.Abs(got-1) > tt.tol {
					t.Errorf("bandwidth %v cells, event at (%v %v): sum %v, want 1 within %v", tt.cells, e.X, e.Y, got, tt.tol)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	events := uniformEvents(r, 1000, 300, 300, 700, 700)
	d, err := KDE(g, events, 30)
	if err != nil {
		t.Fatal(err)
	}
	if got := sum(d); math.Abs(got-1000) > 1 {
		t.Errorf("1000 events: sum %v, want 1000 within 1", got)
	}
}

func TestKDEWeighted(t *testing.T) {
	g := Grid{Size: 10, NX: 60, NY: 60}
	events := []Event{{X: 200, Y: 200}, {X: 400, Y: 300}, {X: 300, Y: 415}}
	plain, err := KDE(g, events, 50)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		weights []float64
		mass    float64
	}{
		{name: "unit weights are the plain density", weights: []float64{1, 1, 1}, mass: 3},
		{name: "decayed weights carry their mass", weights: []float64{1, 0.5, 0.25}, mass: 1.75},
		{name: "weight zero drops an event", weights: []float64{0, 0, 2}, mass: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := KDEWeighted(g, events, tt.weights, 50)
			if err != nil {
				t.Fatal(err)
			}
			if got := sum(d); math.Abs(got-tt.mass) > 0.01*tt.mass {
				t.Errorf("sum %v, want %v", got, tt.mass)
			}
			if tt.mass == 3 {
				for i := range d {
					if d[i] != plain[i] {
						t.Fatalf("cell %d: %v, plain KDE %v", i, d[i], plain[i])
					}
				}
			}
		})
	}
}

func TestKDEOneEvent(t *testing.T) {
	// One event at the centre of the middle cell of an odd grid.
	g := Grid{Size: 10, NX: 21, NY: 21}
	h := 45.0
	d, err := KDE(g, []Event{{X: 105, Y: 105}}, h)
	if err != nil {
		t.Fatal(err)
	}
	mid, _ := g.Index(10, 10)
	if want := 3 / (math.Pi * h * h) * 100; math.Abs(d[mid]-want) > 1e-15 {
		t.Errorf("peak %v, want 3/(pi h^2) x cell area = %v", d[mid], want)
	}
	for i, v := range d {
		r, c := g.RowCol(i)
		// Symmetric under mirroring and transposing about the event.
		for _, m := range [][2]int{{20 - r, c}, {r, 20 - c}, {c, r}} {
			j, _ := g.Index(m[0], m[1])
			if math.Abs(d[j]-v) > 1e-15 {
				t.Fatalf("cell (%d,%d) = %v, its mirror (%d,%d) = %v", r, c, v, m[0], m[1], d[j])
			}
		}
		cx, cy := g.Center(i)
		dist := math.Hypot(cx-105, cy-105)
		switch {
		case dist >= h && v != 0:
			t.Fatalf("cell (%d,%d) at %v m from the event: %v, want 0 beyond the bandwidth", r, c, dist, v)
		case dist < h && !(v > 0):
			t.Fatalf("cell (%d,%d) at %v m from the event: %v, want > 0 within the bandwidth", r, c, dist, v)
		case i != mid && !(v < d[mid]):
			t.Fatalf("cell (%d,%d) = %v, not below the peak %v", r, c, v, d[mid])
		}
	}
}

func TestKDEPeakInEventCell(t *testing.T) {
	g := Grid{X0: 120000, Y0: 480000, Size: 125, NX: 40, NY: 40}
	tests := []struct {
		name string
		x, y float64
		h    float64
	}{
		{name: "off centre", x: 122010, y: 482090, h: 400},
		{name: "near a corner of its cell", x: 121876, y: 481251, h: 300},
		{name: "bandwidth below a cell", x: 123333, y: 483333, h: 100},
		{name: "edge cell", x: 120010, y: 484990, h: 250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := KDE(g, []Event{{X: tt.x, Y: tt.y}}, tt.h)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := g.Cell(tt.x, tt.y)
			best := 0
			for i := range d {
				if d[i] > d[best] {
					best = i
				}
			}
			if best != want {
				t.Errorf("peak in cell %d, want the event's cell %d", best, want)
			}
		})
	}
}

func TestKDEErrors(t *testing.T) {
	g := Grid{Size: 10, NX: 5, NY: 5}
	events := []Event{{X: 1, Y: 1}}
	tests := []struct {
		name    string
		g       Grid
		weights []float64
		h       float64
	}{
		{name: "zero bandwidth", g: g, h: 0},
		{name: "negative bandwidth", g: g, h: -50},
		{name: "NaN bandwidth", g: g, h: math.NaN()},
		{name: "infinite bandwidth", g: g, h: math.Inf(1)},
		{name: "zero grid", g: Grid{}, h: 50},
		{name: "too few weights", g: g, weights: []float64{}, h: 50},
		{name: "negative weight", g: g, weights: []float64{-1}, h: 50},
		{name: "NaN weight", g: g, weights: []float64{math.NaN()}, h: 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.weights != nil {
				_, err = KDEWeighted(tt.g, events, tt.weights, tt.h)
			} else {
				_, err = KDE(tt.g, events, tt.h)
			}
			if err == nil {
				t.Error("no error")
			}
		})
	}
}
