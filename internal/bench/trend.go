package bench

import (
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"baken/internal/store"
)

// TrendQuery is one request of the trend workload, as API parameters and as the
// equivalent store filter.
type TrendQuery struct {
	Name     string
	Params   url.Values
	Filter   store.RollupFilter
	Interval store.Interval
}

// TrendQueries is the mix a dashboard asks: the whole municipality and its parts, one
// category and a theme, by year, month and week.
func TrendQueries() []TrendQuery {
	hic := []string{"woninginbraak", "straatroof", "mishandeling", "bedreiging"}
	q := func(name string, cats []string, area string, iv store.Interval, from, to string) TrendQuery {
		p := url.Values{"interval": {string(iv)}, "area": {area}}
		if len(cats) > 0 {
			p.Set("category", strings.Join(cats, ","))
		}
		if from != "" {
			p.Set("from", from)
			p.Set("to", to)
		}
		return TrendQuery{Name: name, Params: p, Interval: iv,
			Filter: store.RollupFilter{Gemeenten: []string{"GM0384"}, Categories: cats, Area: area, From: from, To: to}}
	}
	return []TrendQuery{
		q("gemeente, all categories, by year", nil, "GM0384", store.IntervalYear, "", ""),
		q("gemeente, youth nuisance, by month", []string{"overlast-jeugd"}, "GM0384", store.IntervalMonth, "", ""),
		q("gemeente, 4 HIC categories, by month, 2 years", hic, "GM0384", store.IntervalMonth, "2024-01-01", "2025-12-31"),
		q("wijk, litter, by week, 1 year", []string{"zwerfvuil"}, "WK038402", store.IntervalWeek, "2025-01-01", "2025-12-31"),
		q("buurt, all categories, by month", nil, "BU03840201", store.IntervalMonth, "", ""),
	}
}

// Latencies collects the durations of one query.
type Latencies []time.Duration

// Percentile returns the p-th percentile (0-100), nearest rank.
func (l Latencies) Percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// TrendResult holds the latencies per query through the API (rollups) and through a
// plain GROUP BY over the registrations.
type TrendResult struct {
	Rows    int
	Dialect string
	Load    time.Duration
	Queries []TrendQuery
	API     []Latencies
	Scan    []Latencies
}

// Print writes the result as a table.
func (r TrendResult) Print(w io.Writer) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%8.1f", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "bench trend: %d registrations on %s (loaded in %.1f s)\n", r.Rows, r.Dialect, r.Load.Seconds())
	fmt.Fprintf(w, "  %-46s %9s %9s %11s %11s %7s\n", "query", "API p50", "API p95", "scan p50", "scan p95", "p50 x")
	var all, allScan Latencies
	for i, q := range r.Queries {
		a, s := r.API[i], r.Scan[i]
		all, allScan = append(all, a...), append(allScan, s...)
		fmt.Fprintf(w, "  %-46s %s ms %s ms %s ms %s ms %6.0fx\n", q.Name, ms(a.Percentile(50)), ms(a.Percentile(95)),
			ms(s.Percentile(50)), ms(s.Percentile(95)), s.Percentile(50).Seconds()/max(a.Percentile(50).Seconds(), 1e-9))
	}
	fmt.Fprintf(w, "  %-46s %s ms %s ms %s ms %s ms\n", "all", ms(all.Percentile(50)), ms(all.Percentile(95)),
		ms(allScan.Percentile(50)), ms(allScan.Percentile(95)))
}
