package demo

import (
	"fmt"
	"math"
	"time"
)

// The calendar says, for every hour of a year, what shapes the demo's time patterns:
// weekday, month, school holidays, King's Day, the turn of the year, sunset and the
// COVID-19 measures. It is computed once per year and shared by all themes.

// covidFlag marks a day on which a COVID-19 measure was in force in the Netherlands.
type covidFlag uint8

const (
	horecaClosed covidFlag = 1 << iota // bars and restaurants closed
	shopsClosed                        // non-essential shops closed
	stayHome                           // lockdown: stay at home as much as possible
	curfewPeriod                       // avondklok (21:00, from 31 March 2021 22:00, to 04:30): taken as 21:00-04:00
	eventsBanned                       // events not allowed
	youthPeak                          // first lockdown and the summer after: groups of young people outside
	youthRaised                        // the second wave before the lockdown
)

// covidWindow is a period (local days, both ends inclusive) with a measure.
type covidWindow struct {
	from, to string
	flag     covidFlag
}

// covidWindows are the national measures, to the day where it matters for a demo.
func covidWindows() []covidWindow {
	return []covidWindow{
		{"2020-03-15", "2020-05-31", horecaClosed | stayHome},
		{"2020-03-12", "2021-06-25", eventsBanned},
		{"2020-03-15", "2020-08-31", youthPeak},
		{"2020-10-14", "2020-12-14", youthRaised},
		{"2020-10-14", "2021-04-27", horecaClosed},
		{"2020-12-15", "2021-03-02", shopsClosed},
		{"2020-12-15", "2021-04-27", stayHome},
		{"2021-01-23", "2021-04-27", curfewPeriod},
		{"2021-11-13", "2022-02-24", eventsBanned},
		{"2021-12-19", "2022-01-25", horecaClosed},
		{"2021-12-19", "2022-01-14", shopsClosed | stayHome},
	}
}

// summerHolidays are the school summer holidays of regio Noord (Noord-Holland), first
// and last day.
func summerHolidays(year int) (string, string) {
	switch year {
	case 2019:
		return "2019-07-13", "2019-08-25"
	case 2020:
		return "2020-07-04", "2020-08-16"
	case 2021:
		return "2021-07-10", "2021-08-22"
	case 2022:
		return "2022-07-16", "2022-08-28"
	case 2023:
		return "2023-07-22", "2023-09-03"
	case 2024:
		return "2024-07-20", "2024-09-01"
	case 2025:
		return "2025-07-12", "2025-08-24"
	}
	return fmt.Sprintf("%04d-07-15", year), fmt.Sprintf("%04d-08-27", year)
}

// schoolHoliday reports whether a day lies in a school holiday of regio Noord: the summer
// holidays as published, the others approximately (spring: ISO week 8; May: 26 April to
// 4 May; autumn: ISO week 43; Christmas: 21 December to 5 January).
func schoolHoliday(d time.Time) bool {
	key := d.Format(time.DateOnly)
	from, to := summerHolidays(d.Year())
	if key >= from && key <= to {
		return true
	}
	_, week := d.ISOWeek()
	m, day := d.Month(), d.Day()
	switch {
	case week == 8 && m <= time.March, week == 43 && m == time.October:
		return true
	case m == time.April && day >= 26, m == time.May && day <= 4:
		return true
	case m == time.December && day >= 21, m == time.January && day <= 5:
		return true
	}
	return false
}

// kingsDay reports whether a day is King's Day: 27 April, or the 26th when the 27th is a
// Sunday.
func kingsDay(d time.Time) bool {
	if d.Month() != time.April {
		return false
	}
	k := 27
	if time.Date(d.Year(), time.April, 27, 12, 0, 0, 0, time.UTC).Weekday() == time.Sunday {
		k = 26
	}
	return d.Day() == k
}

// sunsetUTC returns the time of sunset in Diemen (52.34 N, 4.96 E) on a day of the year,
// in hours after midnight UTC, from the solar declination (without the equation of time
// and refraction: within about a quarter of an hour).
func sunsetUTC(yday int) float64 {
	const lat, lon = 52.34, 4.96
	decl := 23.44 * math.Sin(2*math.Pi*float64(284+yday)/365) * math.Pi / 180
	cosH := -math.Tan(lat*math.Pi/180) * math.Tan(decl)
	h := math.Acos(math.Max(-1, math.Min(1, cosH))) * 180 / math.Pi
	return 12 - lon/15 + h/15
}

// dayInfo is what the time patterns need to know of a local calendar day.
type dayInfo struct {
	weekday  time.Weekday
	month    time.Month
	frac     float64 // position in its year, 0 at 1 January to almost 1 at 31 December
	holiday  bool
	kingsDay bool
	covid    covidFlag
	sunset   float64 // UTC hours
}

func newDayInfo(d time.Time, windows []covidWindow) dayInfo {
	key := d.Format(time.DateOnly)
	days := 365
	if time.Date(d.Year(), time.December, 31, 12, 0, 0, 0, time.UTC).YearDay() == 366 {
		days = 366
	}
	info := dayInfo{
		weekday:  d.Weekday(),
		month:    d.Month(),
		frac:     float64(d.YearDay()-1) / float64(days),
		holiday:  schoolHoliday(d),
		kingsDay: kingsDay(d),
		sunset:   sunsetUTC(d.YearDay()),
	}
	for _, w := range windows {
		if key >= w.from && key <= w.to {
			info.covid |= w.flag
		}
	}
	return info
}

// hourInfo is one hour of a year: it starts at start (UTC), at local hour hour of day;
// eve is the day before, to which the hours after midnight belong for night-time themes.
type hourInfo struct {
	start   time.Time
	hour    int
	utcHour float64
	day     dayInfo
	eve     dayInfo
	newYear bool // the turn of the year: 31 December from 18:00 to 1 January 04:00
	curfew  bool
}

// yearHours returns the hours of a local (Europe/Amsterdam) calendar year, in order: an
// event drawn in one of them is counted on a day of that year.
func yearHours(year int, loc *time.Location) []hourInfo {
	windows := covidWindows()
	start := time.Date(year, time.January, 1, 0, 0, 0, 0, loc).UTC()
	end := time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc).UTC()
	out := make([]hourInfo, 0, 8784)
	var dayKey string
	var day, eve dayInfo
	for t := start; t.Before(end); t = t.Add(time.Hour) {
		lt := t.In(loc)
		y, m, d := lt.Date()
		if k := lt.Format(time.DateOnly); k != dayKey {
			dayKey = k
			noon := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
			day = newDayInfo(noon, windows)
			eve = newDayInfo(noon.AddDate(0, 0, -1), windows)
		}
		h := lt.Hour()
		out = append(out, hourInfo{
			start:   t,
			hour:    h,
			utcHour: float64(t.Hour()),
			day:     day,
			eve:     eve,
			newYear: (m == time.December && d == 31 && h >= 18) || (m == time.January && d == 1 && h < 4),
			curfew:  (h >= 21 && day.covid&curfewPeriod != 0) || (h < 4 && eve.covid&curfewPeriod != 0),
		})
	}
	return out
}
