package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without zone data
)

func amsterdam(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// randomTimes returns n events at random instants of 2024 (Amsterdam), anywhere in the
// week.
func randomTimes(r *rand.Rand, loc *time.Location, n int) []Event {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, loc)
	end := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	span := end.Sub(start)
	events := make([]Event, n)
	for i := range events {
		events[i] = Event{T: start.Add(time.Duration(r.Int64N(int64(span))))}
	}
	return events
}

func significantHours(hw HourWeek) (high, low []string) {
	for d := range hw.Cells {
		for _, c := range hw.Cells[d] {
			name := c.Weekday.String()[:3] + " " + time.Date(0, 1, 1, c.Hour, 0, 0, 0, time.UTC).Format("15h")
			if c.High {
				high = append(high, name)
			}
			if c.Low {
				low = append(low, name)
			}
		}
	}
	return high, low
}

func TestHotTimesFlat(t *testing.T) {
	loc := amsterdam(t)
	t.Run("every hour of the week the same", func(t *testing.T) {
		var events []Event
		start := time.Date(2024, 1, 1, 0, 30, 0, 0, loc) // a Monday, outside the changes of clock
		for i := range 168 * 10 {
			events = append(events, Event{T: start.Add(time.Duration(i) * time.Hour)})
		}
		hw, err := HotTimes(events, loc, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		if hw.Total != 1680 || hw.Expected != 10 || hw.ChiSquare != 0 || hw.P != 1 || hw.DF != 167 {
			t.Errorf("total %d, expected %v, chi-square %v, p %v, df %d; want 1680, 10, 0, 1, 167",
				hw.Total, hw.Expected, hw.ChiSquare, hw.P, hw.DF)
		}
		if high, low := significantHours(hw); len(high)+len(low) > 0 {
			t.Errorf("hours standing out in a flat week: high %v, low %v", high, low)
		}
	})
	t.Run("random times", func(t *testing.T) {
		for seed := range uint64(5) {
			hw, err := HotTimes(randomTimes(rand.New(rand.NewPCG(seed, 7)), loc, 5000), loc, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			if hw.P <= 0.01 {
				t.Errorf("seed %d: chi-square %v, p %v; a random week should not be significant", seed, hw.ChiSquare, hw.P)
			}
			if high, low := significantHours(hw); len(high)+len(low) > 0 {
				t.Errorf("seed %d: hours standing out in a random week: high %v, low %v", seed, high, low)
			}
		}
	})
}

func TestHotTimesEveningPeak(t *testing.T) {
	// Nuisance at random times, plus going-out trouble on Friday and Saturday evenings
	// from 21:00 to midnight.
	loc := amsterdam(t)
	r := rand.New(rand.NewPCG(11, 12))
	events := randomTimes(r, loc, 5000)
	for _, e := range randomTimes(r, loc, 20000) {
		lt := e.T.In(loc)
		if (lt.Weekday() == time.Friday || lt.Weekday() == time.Saturday) && lt.Hour() >= 21 && len(events) < 5600 {
			events = append(events, e)
		}
	}
	hw, err := HotTimes(events, loc, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if hw.P > 1e-10 {
		t.Errorf("chi-square %v, p %v: want a clearly uneven week", hw.ChiSquare, hw.P)
	}
	want := map[string]bool{"Fri 21h": true, "Fri 22h": true, "Fri 23h": true, "Sat 21h": true, "Sat 22h": true, "Sat 23h": true}
	high, _ := significantHours(hw)
	got := make(map[string]bool)
	for _, h := range high {
		got[h] = true
		if !want[h] {
			t.Errorf("%s stands out, but nothing was planted there", h)
		}
	}
	for h := range want {
		if !got[h] {
			t.Errorf("%s does not stand out; high: %v", h, high)
		}
	}
	fri22 := hw.Cells[4][22]
	if fri22.Weekday != time.Friday || fri22.Hour != 22 || fri22.Residual < 5 || fri22.Q > 1e-6 {
		t.Errorf("Friday 22h: %+v, want a residual above 5 and q below 1e-6", fri22)
	}
}

func TestHotTimesLocalTime(t *testing.T) {
	loc := amsterdam(t)
	tests := []struct {
		name    string
		utc     time.Time
		weekday time.Weekday
		hour    int
	}{
		{name: "Monday comes first", utc: time.Date(2024, 1, 1, 7, 15, 0, 0, time.UTC), weekday: time.Monday, hour: 8},
		{name: "Sunday comes last", utc: time.Date(2024, 1, 7, 22, 59, 0, 0, time.UTC), weekday: time.Sunday, hour: 23},
		{name: "late Sunday UTC is Monday night local", utc: time.Date(2024, 1, 7, 23, 30, 0, 0, time.UTC), weekday: time.Monday, hour: 0},
		// 27 October 2024: at 03:00 CEST the clocks go back to 02:00 CET.
		{name: "autumn change, first 02:30 (CEST)", utc: time.Date(2024, 10, 27, 0, 30, 0, 0, time.UTC), weekday: time.Sunday, hour: 2},
		{name: "autumn change, second 02:30 (CET)", utc: time.Date(2024, 10, 27, 1, 30, 0, 0, time.UTC), weekday: time.Sunday, hour: 2},
		{name: "autumn change, 03:30 CET", utc: time.Date(2024, 10, 27, 2, 30, 0, 0, time.UTC), weekday: time.Sunday, hour: 3},
		// 31 March 2024: at 02:00 CET the clocks go forward to 03:00 CEST.
		{name: "spring change, 01:59 CET", utc: time.Date(2024, 3, 31, 0, 59, 0, 0, time.UTC), weekday: time.Sunday, hour: 1},
		{name: "spring change, 03:00 CEST", utc: time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC), weekday: time.Sunday, hour: 3},
		{name: "summer time", utc: time.Date(2024, 7, 5, 20, 45, 0, 0, time.UTC), weekday: time.Friday, hour: 22},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hw, err := HotTimes([]Event{{T: tt.utc}}, loc, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			var found []HourCell
			for d := range hw.Cells {
				for _, c := range hw.Cells[d] {
					if c.Count > 0 {
						found = append(found, c)
					}
				}
			}
			if len(found) != 1 || found[0].Weekday != tt.weekday || found[0].Hour != tt.hour {
				t.Errorf("counted in %+v, want %v %d:00", found, tt.weekday, tt.hour)
			}
		})
	}
	// Matrix order: Monday first.
	hw, err := HotTimes([]Event{{T: time.Date(2024, 1, 1, 8, 0, 0, 0, loc)}}, loc, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c := hw.Cells[0][8]; c.Weekday != time.Monday || c.Count != 1 {
		t.Errorf("Cells[0][8] = %+v, want Monday 8:00 with the event", c)
	}
	if c := hw.Cells[6][0]; c.Weekday != time.Sunday {
		t.Errorf("Cells[6][0] = %+v, want Sunday", c)
	}
	if hw.Alpha != 0.05 {
		t.Errorf("alpha %v, want the default 0.05", hw.Alpha)
	}
}

func TestHotTimesStatistic(t *testing.T) {
	// Two hours of the week with all 168 events: chi-square by hand.
	loc := amsterdam(t)
	var events []Event
	for range 84 {
		events = append(events, Event{T: time.Date(2024, 1, 1, 8, 0, 0, 0, loc)}, Event{T: time.Date(2024, 1, 2, 9, 0, 0, 0, loc)})
	}
	hw, err := HotTimes(events, loc, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	// E = 1: two cells (84-1)^2/1, 166 cells (0-1)^2/1.
	if want := 2*83.0*83 + 166; math.Abs(hw.ChiSquare-want) > 1e-9 {
		t.Errorf("chi-square %v, want %v", hw.ChiSquare, want)
	}
	if want := 83 / math.Sqrt(1-1.0/168); math.Abs(hw.Cells[0][8].Residual-want) > 1e-9 {
		t.Errorf("residual %v, want %v", hw.Cells[0][8].Residual, want)
	}
	if want := -1 / math.Sqrt(1-1.0/168); math.Abs(hw.Cells[3][3].Residual-want) > 1e-9 {
		t.Errorf("empty cell residual %v, want %v", hw.Cells[3][3].Residual, want)
	}
}

func TestHotTimesErrors(t *testing.T) {
	loc := amsterdam(t)
	one := []Event{{T: time.Date(2024, 1, 1, 8, 0, 0, 0, loc)}}
	tests := []struct {
		name   string
		events []Event
		loc    *time.Location
		alpha  float64
	}{
		{name: "no events", loc: loc},
		{name: "no time zone", events: one},
		{name: "alpha 1", events: one, loc: loc, alpha: 1},
		{name: "negative alpha", events: one, loc: loc, alpha: -0.1},
		{name: "event without a time", events: append(one, Event{X: 1, Y: 2}), loc: loc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := HotTimes(tt.events, tt.loc, tt.alpha); err == nil {
				t.Error("no error")
			}
		})
	}
}
