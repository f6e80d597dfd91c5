package forecast

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the report as plain-text tables: the set-up, then per coverage the
// hit rate and PAI of every method (mean, standard deviation, minimum and maximum over
// the scored steps, and the hit rate pooled over all their test events), then the run
// time per method and the steps that were not scored.
func (r Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	scored, tests, minTest, maxTest := 0, 0, -1, 0
	for _, s := range r.Steps {
		if s.Skipped != "" {
			continue
		}
		scored++
		tests += s.Test
		if minTest < 0 || s.Test < minTest {
			minTest = s.Test
		}
		maxTest = max(maxTest, s.Test)
	}
	ew.printf("Forecast evaluation by rolling origin\n")
	ew.printf("  events       %d; grid of %g m cells, %d x %d\n", r.Events, r.Grid.Size, r.Grid.NX, r.Grid.NY)
	ew.printf("  study area   %d cells: %s\n", r.AreaCells, r.Area)
	last := r.From
	if n := len(r.Steps); n > 0 {
		last = r.Steps[n-1].Origin
	}
	ew.printf("  origins      %d, %s to %s, every %s; horizon %s; training window %s\n",
		len(r.Steps), r.From.Format(time.DateOnly), last.Format(time.DateOnly), r.Step, r.Horizon, r.TrainWindow)
	ew.printf("  scored       %d of %d steps (a step needs %d training and %d test events)\n", scored, len(r.Steps), r.MinTrain, r.MinTest)
	if scored > 0 {
		ew.printf("  test events  %d in scored steps, per step mean %.0f, min %d, max %d; %d outside the study area (not scored)\n",
			tests, float64(tests)/float64(scored), minTest, maxTest, r.TestOutside)
	}
	if scored == 0 {
		ew.printf("\nNo step had enough events to be scored: too few events for an evaluation; no scores are given.\n")
	}
	for ci, cov := range r.Coverages {
		if scored == 0 {
			break
		}
		ew.printf("\nTop %s of the study area (%s, area share %.4f)\n", pct(cov.Share), cells(cov.Cells), cov.AreaShare)
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "method\thit rate\tsd\tmin\tmax\tpooled\tPAI\tsd\tmin\tmax\t\n")
		for _, m := range r.Methods {
			lv := m.Levels[ci]
			fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\t%.2f\t%.2f\t%.2f\t\n", m.Name,
				lv.HitRate.Mean, lv.HitRate.SD, lv.HitRate.Min, lv.HitRate.Max, lv.Pooled,
				lv.PAI.Mean, lv.PAI.SD, lv.PAI.Min, lv.PAI.Max)
		}
		tw.Flush()
	}
	ew.printf("\nRun time (all steps)\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, m := range r.Methods {
		per := time.Duration(0)
		if scored > 0 {
			per = m.Runtime / time.Duration(scored)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s per step\t\n", m.Name, m.Runtime.Round(time.Millisecond), per.Round(100*time.Microsecond))
	}
	tw.Flush()
	var skipped []string
	for _, s := range r.Steps {
		if s.Skipped != "" {
			skipped = append(skipped, fmt.Sprintf("  %s: %s", s.Origin.Format(time.DateOnly), s.Skipped))
		}
	}
	if len(skipped) > 0 {
		ew.printf("\nNot scored (too few events to score anything but noise)\n%s\n", strings.Join(skipped, "\n"))
	}
	return ew.err
}

func cells(n int) string {
	if n == 1 {
		return "1 cell"
	}
	return fmt.Sprintf("%d cells", n)
}

func pct(share float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", share*100), "0"), ".") + "%"
}

// errWriter keeps the first write error, so that a report is written without checking
// every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
