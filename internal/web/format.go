package web

import (
	"math"
	"strconv"
	"strings"
	"time"

	"baken/internal/report"
)

// formatInt writes n with thousands separators: 1.234 in Dutch, 1,234 in English.
func formatInt(lang Lang, n int) string {
	s := strconv.Itoa(abs(n))
	sep := "."
	if lang == EN {
		sep = ","
	}
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// formatFloat writes f with the given decimals: 1.234,5 in Dutch, 1,234.5 in English.
func formatFloat(lang Lang, f float64, decimals int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "-"
	}
	p := math.Pow(10, float64(decimals))
	f = math.Round(f*p) / p
	whole := int(math.Trunc(f))
	frac := math.Abs(f - math.Trunc(f))
	s := formatInt(lang, whole)
	if whole == 0 && f < 0 {
		s = "-" + s
	}
	if decimals == 0 {
		return s
	}
	fs := strconv.FormatFloat(frac, 'f', decimals, 64)[2:]
	if lang == EN {
		return s + "." + fs
	}
	return s + "," + fs
}

// formatDate writes a date as 22-11-2026 in Dutch and 2026-11-22 in English.
func formatDate(lang Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == EN {
		return t.Format("2006-01-02")
	}
	return t.Format("02-01-2006")
}

// formatDayMonth writes a day of the year as "22 november" in Dutch and "22 November"
// in English.
func formatDayMonth(lang Lang, t time.Time) string {
	if lang == EN {
		return t.Format("2 January")
	}
	return strconv.Itoa(t.Day()) + " " + report.DutchMonth(t.Month())
}

// formatDateTime adds the time of day (24 hours) to formatDate.
func formatDateTime(lang Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatDate(lang, t) + " " + t.Format("15:04")
}

// SmallCount is the largest count shown as "<5" where small counts are suppressed.
const SmallCount = 4

// formatCount writes a count, as "<5" when suppress is set and the count is 1 to 4
// (councillors and anything meant for publication).
func formatCount(lang Lang, n int, suppress bool) string {
	if suppress && n > 0 && n <= SmallCount {
		return "<5"
	}
	return formatInt(lang, n)
}
