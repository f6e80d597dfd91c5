package web_test

import (
	"encoding/json"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"baken/internal/web"
)

// trendBlock returns the JSON of the dashboard's trend data block.
var trendBlock = regexp.MustCompile(`(?s)<script type="application/json" id="trend-data">(.*?)</script>`)

// rowCounts returns the table alternative's rows: label and count as shown.
var tableRow = regexp.MustCompile(`<tr><th scope="row">([^<]*)</th><td class="num">([^<]*)</td></tr>`)

// TestDashboardChartData: the dashboard carries the trend chart's figures for charts.js
// in a JSON block (by month and by year), the same as its table alternative, and loads
// uPlot and charts.js; the server-drawn SVG stays.
func TestDashboardChartData(t *testing.T) {
	site := newSite(t)
	for _, path := range []string{"/", "/?trend=jaar"} {
		t.Run(path, func(t *testing.T) {
			resp, body := get(t, site, path, "beleidsadviseur")
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			m := trendBlock.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no trend-data block")
			}
			var d web.TrendData
			if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
				t.Fatalf("trend data %q: %v", m[1], err)
			}
			// The table alternative follows the chart; its rows are the figures.
			rows := tableRow.FindAllStringSubmatch(body[strings.Index(body, `id="trend-data"`):strings.Index(body, `id="buurten-h"`)], -1)
			if len(rows) == 0 || len(d.Labels) != len(rows) || len(d.Counts) != len(rows) || len(d.Texts) != len(rows) {
				t.Fatalf("%d labels, %d counts, %d texts for %d table rows", len(d.Labels), len(d.Counts), len(d.Texts), len(rows))
			}
			for i, r := range rows {
				if d.Labels[i] != r[1] || d.Texts[i] != r[2] || d.Counts[i] == nil {
					t.Errorf("point %d: %q %v %q, table row %q %q", i, d.Labels[i], d.Counts[i], d.Texts[i], r[1], r[2])
					continue
				}
				if got := strconv.Itoa(*d.Counts[i]); got != strings.ReplaceAll(r[2], ".", "") {
					t.Errorf("point %d (%s): count %d, table %q", i, d.Labels[i], *d.Counts[i], r[2])
				}
			}
			period := map[string]string{"/": "Maand", "/?trend=jaar": "Jaar"}[path]
			if d.Series != "Aantal" || d.Period != period {
				t.Errorf("series %q, period %q; want Aantal, %s", d.Series, d.Period, period)
			}
			for _, want := range []string{
				`<link rel="stylesheet" href="/static/[0-9a-f]+/vendor/uplot/uPlot\.min\.css">`,
				`<script src="/static/[0-9a-f]+/vendor/uplot/uPlot\.iife\.min\.js" defer></script>\s*<script src="/static/[0-9a-f]+/js/charts\.js" defer></script>`,
				`<figure class="chart" id="trend-chart">\s*<svg viewBox="0 0 720 220" role="img"`,
			} {
				if !regexp.MustCompile(want).MatchString(body) {
					t.Errorf("the dashboard lacks %s", want)
				}
			}
		})
	}
}

// TestTrendDataCannotEndTheBlock: a label with "</script>" (or "<!--") stays inside the
// JSON block, and decodes back to itself.
func TestTrendDataCannotEndTheBlock(t *testing.T) {
	evil := `</script><script>alert(1)</script><!--`
	tmpl := template.Must(template.New("t").Parse(`<script type="application/json" id="trend-data">{{.}}</script>`))
	var b strings.Builder
	if err := tmpl.Execute(&b, web.TrendData{Series: evil, Labels: []string{evil}, Texts: []string{"1"}, Counts: []*int{new(int)}}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Count(strings.ToLower(out), "</script") != 1 || strings.Contains(out, "<!--") {
		t.Fatalf("the label breaks out of the block: %s", out)
	}
	m := trendBlock.FindStringSubmatch(out)
	var d web.TrendData
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatalf("%s: %v", m[1], err)
	}
	if d.Labels[0] != evil || d.Series != evil {
		t.Errorf("decoded %q, %q; want %q", d.Labels[0], d.Series, evil)
	}
}

// TestTrendDataHidesSmallCounts: for an actor who sees aggregates only, the data block
// holds no count from 1 to 4; such a point is null, shown as "<5".
func TestTrendDataHidesSmallCounts(t *testing.T) {
	site := newSite(t)
	for _, path := range []string{"/", "/?trend=jaar"} {
		_, body := get(t, site, path, "raadslid")
		m := trendBlock.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no trend-data block", path)
		}
		var d web.TrendData
		if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
			t.Fatal(err)
		}
		for i, c := range d.Counts {
			if c == nil && d.Texts[i] != "<5" || c != nil && *c > 0 && *c <= web.SmallCount {
				t.Errorf("%s: point %s: count %v, text %q", path, d.Labels[i], c, d.Texts[i])
			}
		}
	}
}
