package study

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"baken/internal/analysis"
	"baken/internal/forecast"
)

// HotspotOptions are the choices of a hotspot map; the zero value is the usual one.
type HotspotOptions struct {
	Cell   float64 // cell size in metres; 0 means analysis.DefaultCellSize (125)
	Radius int     // Gi* neighbourhood in cells; 0 means 1 (3 x 3 cells)
	Alpha  float64 // false discovery rate; 0 means 0.05
}

func (o HotspotOptions) withDefaults() (HotspotOptions, error) {
	if o.Cell == 0 {
		o.Cell = analysis.DefaultCellSize
	}
	if o.Radius == 0 {
		o.Radius = 1
	}
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	switch {
	case !(o.Cell > 0) || math.IsInf(o.Cell, 0):
		return o, fmt.Errorf("cell size %v: want a positive number of metres", o.Cell)
	case o.Radius < 0:
		return o, fmt.Errorf("radius %d: want at least 1 cell", o.Radius)
	case !(o.Alpha > 0 && o.Alpha < 1):
		return o, fmt.Errorf("alpha %v: want a number between 0 and 1", o.Alpha)
	}
	return o, nil
}

// HotspotMap is a Gi* hotspot analysis of a selection over its study area.
type HotspotMap struct {
	Options    HotspotOptions
	Grid       analysis.Grid
	StudyCells int
	Events     int // events in the study cells
	Outside    int // events outside the study area, not counted
	Verdict    Verdict
	// Cells holds every study cell, in grid order; nil when the verdict is TooFew, so
	// that no map of noise can be drawn from it.
	Cells     []analysis.Cell
	Hot, Cold int
}

// Significant returns the hot cells, strongest first, then the cold cells, coldest
// first (ties in grid order).
func (m HotspotMap) Significant() []analysis.Cell {
	var out []analysis.Cell
	for _, c := range m.Cells {
		if c.Hot || c.Cold {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b analysis.Cell) int {
		if a.Hot != b.Hot {
			if a.Hot {
				return -1
			}
			return 1
		}
		if a.Hot {
			return cmp.Compare(b.Z, a.Z)
		}
		return cmp.Compare(a.Z, b.Z)
	})
	return out
}

// Hotspots lays a grid of opts.Cell metres over the study area (nil: the cells with an
// event) and the events, counts the events per study cell and, when the hotspot rule
// (HotspotVerdict) allows, computes Gi* with Benjamini-Hochberg q-values for every study
// cell.
func Hotspots(evs []analysis.Event, area *forecast.StudyArea, opts HotspotOptions) (HotspotMap, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return HotspotMap{}, fmt.Errorf("hotspots: %w", err)
	}
	m := HotspotMap{Options: o}
	if len(evs) == 0 && area == nil {
		m.Verdict = HotspotVerdict(0, 0, o.Cell, o.Radius)
		return m, nil
	}
	g, mask, err := grid(evs, area, o.Cell)
	if err != nil {
		return HotspotMap{}, fmt.Errorf("hotspots: %w", err)
	}
	m.Grid = g
	counts, _ := g.Counts(evs)
	for i, in := range mask {
		if in {
			m.StudyCells++
			m.Events += int(counts[i])
		}
	}
	m.Outside = len(evs) - m.Events
	m.Verdict = HotspotVerdict(m.Events, m.StudyCells, o.Cell, o.Radius)
	if !m.Verdict.OK() {
		return m, nil
	}
	m.Cells, err = analysis.GiStar(g, counts, analysis.GiOptions{Radius: o.Radius, Mask: mask, Alpha: o.Alpha,
		PValues: m.Verdict.HotspotPValues()})
	if tooLarge := (*analysis.ExactTooLargeError)(nil); errors.As(err, &tooLarge) {
		m.Verdict, m.Cells = HotspotUnevenVerdict(m.Verdict, tooLarge.Largest, o.Cell, o.Radius), nil
		return m, nil
	}
	if err != nil {
		return HotspotMap{}, fmt.Errorf("hotspots: %w", err)
	}
	for _, c := range m.Cells {
		if c.Hot {
			m.Hot++
		}
		if c.Cold {
			m.Cold++
		}
	}
	return m, nil
}
