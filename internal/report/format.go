package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Footnotes printed under a table or chart that holds a marked value.
const (
	provisionalMark = "*"
	suppressedText  = "<5"
	provisionalNote = "* voorlopig: dit cijfer kan nog veranderen."
	suppressedNote  = "<5: een aantal van 1 tot en met 4; het precieze aantal wordt niet gepubliceerd."
)

// maxDecimals is the most decimals a value is printed with.
const maxDecimals = 2

// dutchMonths are the month names as written in a Dutch date, January first.
var dutchMonths = [12]string{
	"januari", "februari", "maart", "april", "mei", "juni",
	"juli", "augustus", "september", "oktober", "november", "december",
}

// formatDate writes a date the Dutch way, "6 februari 2024", in t's own location: the
// caller decides which day a moment belongs to.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return "onbekende datum"
	}
	y, m, d := t.Date()
	return strconv.Itoa(d) + " " + dutchMonths[m-1] + " " + strconv.Itoa(y)
}

// DutchDate writes a date the Dutch way, "6 februari 2024", as the documents do.
func DutchDate(t time.Time) string { return formatDate(t) }

// DutchMonth names a month as a Dutch date writes it: "februari".
func DutchMonth(m time.Month) string { return dutchMonths[m-1] }

// formatNumber writes v with the given number of decimals, a comma as decimal separator
// and a full stop between thousands: 1234.5 with 1 decimal is "1.234,5".
func formatNumber(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "onbekend"
	}
	decimals = max(0, min(decimals, maxDecimals))
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// decimalsFor is the number of decimals (at most maxDecimals) that shows every value
// exactly, so that all values of one indicator line up: 12.5 and 13 give 1 ("12,5",
// "13,0").
func decimalsFor(values ...float64) int {
	d := 0
	for _, v := range values {
		for d < maxDecimals {
			p := math.Pow(10, float64(d))
			if math.Abs(math.Round(v*p)-v*p) < 1e-6 {
				break
			}
			d++
		}
	}
	return d
}

// indicatorDecimals is the number of decimals an indicator's values are printed with.
func indicatorDecimals(ind Indicator) int {
	if ind.Count {
		return 0
	}
	vs := make([]float64, len(ind.Values))
	for i, v := range ind.Values {
		vs[i] = v.Value
	}
	return decimalsFor(vs...)
}

// suppressed reports whether a value is a small count that must not be published
// exactly: 1 to SmallCount-1 when the value is a count. Zero is published.
func suppressed(v float64, count bool) bool {
	return count && v > 0 && v < SmallCount
}

// shown is a value as it is printed.
type shown struct {
	Text        string // with the provisional mark: "98*", "<5", "12,5"
	Suppressed  bool
	Provisional bool
}

// showValue formats a value for print: small counts as "<5", provisional values with
// a "*".
func showValue(v float64, provisional, count bool, decimals int) shown {
	s := shown{Provisional: provisional}
	if suppressed(v, count) {
		s.Suppressed = true
		s.Text = suppressedText
	} else {
		s.Text = formatNumber(v, decimals)
	}
	if provisional {
		s.Text += provisionalMark
	}
	return s
}

// withUnit puts a unit after a printed value: "12,5%", "98* registraties".
func withUnit(text, unit string) string {
	switch unit {
	case "":
		return text
	case "%":
		return text + "%"
	default:
		return text + " " + unit
	}
}

// formatShare is the share done/total as a whole percentage, "47%", rounded half up.
func formatShare(done, total int) string {
	if total <= 0 {
		return "0%"
	}
	return strconv.Itoa((done*200+total)/(total*2)) + "%"
}

// judgementText is a judgement in words.
func judgementText(j Judgement) string {
	switch j {
	case OnTrack:
		return "op koers"
	case OffTrack:
		return "niet op koers"
	default:
		return "onbekend"
	}
}

// directionText is the desired direction of an objective in words, or "".
func directionText(d string) string {
	switch d {
	case "down":
		return "daling"
	case "up":
		return "stijging"
	default:
		return ""
	}
}

// kindText is an objective's kind in words.
func kindText(k string) string {
	switch k {
	case "effect":
		return "effectdoelstelling"
	case "output":
		return "prestatiedoelstelling"
	default:
		return k
	}
}
