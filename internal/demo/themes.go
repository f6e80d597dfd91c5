package demo

import (
	"math"
	"time"
)

// The demo's picture of Diemen: where each kind of registration happens (buurt
// profiles) and when (clocks), and how many there are per year (themes). The numbers
// are invented to be plausible for a municipality of 33,000 inhabitants next to
// Amsterdam, except the youth-nuisance figures of 2020-2023, which are the published ones.

// tag marks what a buurt has that draws registrations of some kinds.
type tag uint16

const (
	tagCentre   tag = 1 << iota // the town centre: shopping centre, market, town hall, bars
	tagShops                    // a neighbourhood shopping centre
	tagStation                  // a railway or metro station
	tagStudents                 // student housing
	tagBusiness                 // business park or office park
	tagGreen                    // polder, park, nature: few houses
	tagSport                    // sports park
	tagYouth                    // a known meeting place of groups of young people
)

// buurtProfile describes one buurt for the generator.
type buurtProfile struct {
	code string
	name string
	// pop estimates the inhabitants. CBS publishes Diemen's population per wijk (see
	// data/diemen_kwb2024.csv), not per buurt in the embedded data; the wijk totals are
	// split over the buurten by hand, by size and housing, so that they add up per wijk.
	pop float64
	// biz is the relative business activity of business and office parks (1 = the
	// largest, Verrijn Stuart).
	biz  float64
	tags tag
}

// diemenBuurten returns the profiles of Diemen's 37 buurten of 2024.
func diemenBuurten() []buurtProfile {
	return []buurtProfile{
		// WK038401 Diemen Noord: 6,615 inhabitants.
		{"BU03840101", "Buytenstee", 1900, 0, 0},
		{"BU03840102", "Oud Diemen", 150, 0, 0},
		{"BU03840103", "Vogelweide", 1700, 0, 0},
		{"BU03840104", "Scheepskwartier", 1300, 0, 0},
		{"BU03840105", "Vlindertuin", 1400, 0, 0},
		{"BU03840106", "Diemerpolder", 165, 0, tagGreen},
		// WK038402 Diemen Centrum: 10,755.
		{"BU03840201", "Centrum West", 1900, 0, tagCentre},
		{"BU03840202", "Ruimzicht West", 1800, 0, 0},
		{"BU03840203", "Spoorzicht", 1500, 0, tagStation},
		{"BU03840204", "Buitenlust", 1900, 0, 0},
		{"BU03840205", "Spoordriehoek", 900, 0, tagStation},
		{"BU03840206", "Ruimzicht Oost", 1400, 0, 0},
		{"BU03840207", "Centrum Oost", 800, 0, tagCentre | tagYouth},
		{"BU03840208", "Studentenflats Rode Kruislaan", 555, 0, tagStudents},
		// WK038403 Diemen Zuid: 7,445.
		{"BU03840301", "Akkerland", 750, 0, 0},
		{"BU03840302", "Bomenrijk", 1200, 0, 0},
		{"BU03840303", "Beukenhorst", 500, 0, 0},
		{"BU03840304", "Anne Frank", 800, 0, tagYouth},
		{"BU03840305", "Schelpenhoek", 1050, 0, 0},
		{"BU03840306", "Kruidenhof", 1100, 0, tagShops | tagYouth},
		{"BU03840307", "Polderland", 1045, 0, tagYouth},
		{"BU03840308", "Biesbosch", 1000, 0, 0},
		// WK038404 Bergwijkpark (offices): 40.
		{"BU03840401", "Bergwijkpark", 40, 0.45, tagBusiness},
		// WK038405 Holland Park: 5,345.
		{"BU03840501", "Campus Diemen Zuid", 1600, 0, tagStudents | tagStation},
		{"BU03840502", "Holland Park", 1900, 0, tagShops | tagYouth},
		{"BU03840503", "Holland Park Zuid", 1200, 0, 0},
		{"BU03840504", "Holland Park West", 645, 0, 0},
		// WK038406 Bedrijventerreinen: 45.
		{"BU03840601", "Verrijn Stuart", 30, 1, tagBusiness},
		{"BU03840602", "De Sniep", 10, 0.35, tagBusiness},
		{"BU03840603", "Stammerdijk", 5, 0.25, tagBusiness},
		// WK038407 Plantage de Sniep: 2,580.
		{"BU03840701", "Plantage de Sniep Zuid", 1250, 0, 0},
		{"BU03840702", "Plantage de Sniep Noord", 1330, 0, 0},
		{"BU03840703", "Sportpark De Diemen", 0, 0, tagSport},
		// WK038408 Buitengebied: 145.
		{"BU03840801", "Gemeenschapspolder", 40, 0, tagGreen},
		{"BU03840802", "Overdiemerpolder", 35, 0, tagGreen},
		{"BU03840803", "Overdiemen", 40, 0, tagGreen},
		{"BU03840804", "Diemer Vijfhoek", 30, 0, tagGreen},
	}
}

// is returns 1 when the buurt has tag t, else 0, for use in weights.
func (b *buurtProfile) is(t tag) float64 {
	if b.tags&t != 0 {
		return 1
	}
	return 0
}

// covidKind says how a theme responded to the COVID-19 measures.
type covidKind uint8

const (
	covidNone      covidKind = iota
	covidNightlife           // fewer while bars were closed, hardly any in curfew hours
	covidShops               // fewer while shops were closed
	covidHome                // fewer burglaries while people stayed at home
	covidAtHome              // more noise, neighbour disputes and waste while people stayed at home
	covidYouth               // more groups outside in 2020, hardly any in curfew hours
	covidEvents              // no events while they were banned
)

func covidFactor(k covidKind, d covidFlag, curfew bool) float64 {
	switch k {
	case covidNightlife:
		switch {
		case curfew:
			return 0.25
		case d&horecaClosed != 0:
			return 0.55
		}
	case covidShops:
		switch {
		case d&shopsClosed != 0:
			return 0.35
		case d&stayHome != 0:
			return 0.8
		}
	case covidHome:
		if d&stayHome != 0 {
			return 0.55
		}
	case covidAtHome:
		switch {
		case d&stayHome != 0:
			return 1.5
		case d&horecaClosed != 0:
			return 1.2
		}
	case covidYouth:
		switch {
		case curfew:
			return 0.15
		case d&youthPeak != 0:
			return 2.2
		case d&youthRaised != 0:
			return 1.4
		}
	case covidEvents:
		if d&eventsBanned != 0 {
			return 0
		}
	}
	return 1
}

// clock is when registrations of a theme happen: a product of weights per local hour,
// weekday and month, with factors for particular days and hours.
type clock struct {
	hours    [24]float64
	weekdays [7]float64 // Sunday first, as time.Weekday
	months   [12]float64
	// night counts the hours before 06:00 to the evening before: a Friday night that
	// runs into Saturday morning is a Friday night.
	night        bool
	weekendNight float64 // factor for Friday and Saturday from 20:00 to 04:00
	holidays     float64 // factor in school holidays
	dusk         float64 // extra weight around the hour after sunset
	growth       float64 // rise within the year: the last day weighs 1+growth/2, the first 1-growth/2
	newYear      float64 // factor at the turn of the year
	kingsDay     float64 // factor on King's Day
	covid        covidKind
}

// weight returns the relative chance that a registration of the theme happens in hour h.
func (c *clock) weight(h *hourInfo) float64 {
	d := &h.day
	if c.night && h.hour < 6 {
		d = &h.eve
	}
	w := c.hours[h.hour] * c.weekdays[d.weekday] * c.months[d.month-1]
	if w == 0 {
		return 0
	}
	if c.weekendNight != 0 && (d.weekday == time.Friday || d.weekday == time.Saturday) && (h.hour >= 20 || h.hour < 4) {
		w *= c.weekendNight
	}
	if c.holidays != 0 && d.holiday {
		w *= c.holidays
	}
	if c.dusk != 0 {
		// Peaks three quarters of an hour after sunset, an hour either side.
		x := h.utcHour + 0.5 - (h.day.sunset + 0.75)
		w *= 1 + c.dusk*math.Exp(-x*x/2)
	}
	if c.growth != 0 {
		w *= 1 + c.growth*(d.frac-0.5)
	}
	if c.newYear != 0 && h.newYear {
		w *= c.newYear
	}
	if c.kingsDay != 0 && d.kingsDay {
		w *= c.kingsDay
	}
	return w * covidFactor(c.covid, d.covid, h.curfew)
}

// theme is one category of the demo: its yearly totals, where and when.
type theme struct {
	category string
	// counts are the totals for FirstYear..LastYear, counted by local day.
	counts [LastYear - FirstYear + 1]int
	// where weighs a buurt; the chance of a buurt is its weight over the sum.
	where func(b *buurtProfile) float64
	when  clock
	// cluster is the share of registrations placed near one of the buurt's fixed spots
	// (spot 0: the main square, shops or station; spot 1: a meeting place or corner),
	// spread metres around it; the rest lie anywhere in the buurt.
	cluster float64
	spot    int
	spread  float64
	// repeat is the share placed near a registration of the same theme in the 14 days
	// before (near-repeat, as burglars return to a street).
	repeat float64
}

// Hour profiles, 00:00 to 23:00 local time; functions rather than package variables, so
// that nothing is shared state.

func eveningHours() [24]float64 {
	return [24]float64{0.9, 0.55, 0.3, 0.12, 0.05, 0.03, 0.03, 0.05, 0.08, 0.1, 0.12, 0.15,
		0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.55, 0.7, 1.0, 1.15, 1.2, 1.1}
}

func nightlifeHours() [24]float64 {
	return [24]float64{1.0, 0.9, 0.75, 0.5, 0.3, 0.15, 0.1, 0.15, 0.25, 0.35, 0.45, 0.55,
		0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.1}
}

func dayHours() [24]float64 {
	return [24]float64{0.4, 0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.4, 0.7, 0.9, 1.0, 1.05,
		1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.0, 0.95, 0.9, 0.8, 0.7, 0.5}
}

// wardenHours are the working hours of the city wardens (stadstoezicht).
func wardenHours() [24]float64 {
	return [24]float64{0, 0, 0, 0, 0, 0, 0, 0.15, 0.8, 1.1, 1.2, 1.2,
		0.7, 1.0, 1.1, 1.0, 0.7, 0.2, 0.05, 0, 0, 0, 0, 0}
}

func officeHours() [24]float64 {
	return [24]float64{0, 0, 0, 0, 0, 0, 0, 0.05, 0.6, 1.0, 1.1, 1.1,
		0.8, 1.0, 1.1, 1.0, 0.8, 0.3, 0.05, 0, 0, 0, 0, 0}
}

func shopHours() [24]float64 {
	return [24]float64{0, 0, 0, 0, 0, 0, 0, 0.05, 0.2, 0.5, 0.8, 1.0,
		1.1, 1.15, 1.2, 1.3, 1.35, 1.3, 1.0, 0.6, 0.4, 0.2, 0.05, 0}
}

func burglaryHours() [24]float64 {
	return [24]float64{0.35, 0.25, 0.25, 0.3, 0.25, 0.15, 0.15, 0.25, 0.4, 0.55, 0.65, 0.7,
		0.7, 0.7, 0.75, 0.85, 1.0, 1.3, 1.45, 1.35, 1.1, 0.85, 0.65, 0.5}
}

func closedHours() [24]float64 {
	return [24]float64{1.2, 1.4, 1.5, 1.5, 1.3, 1.0, 0.6, 0.3, 0.2, 0.15, 0.1, 0.1,
		0.1, 0.1, 0.1, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9, 1.1}
}

func onlineHours() [24]float64 {
	return [24]float64{0.2, 0.15, 0.1, 0.05, 0.05, 0.1, 0.2, 0.4, 0.8, 1.1, 1.2, 1.2,
		1.1, 1.15, 1.15, 1.1, 1.05, 1.0, 0.95, 0.95, 0.9, 0.8, 0.6, 0.4}
}

func flat7() [7]float64   { return [7]float64{1, 1, 1, 1, 1, 1, 1} }
func flat12() [12]float64 { return [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1} }

// Month profiles, January first.
func summerMonths() [12]float64 {
	return [12]float64{0.7, 0.7, 0.85, 1.0, 1.15, 1.3, 1.35, 1.3, 1.05, 0.85, 0.75, 0.9}
}

func darkMonths() [12]float64 {
	return [12]float64{1.3, 1.1, 0.9, 0.8, 0.75, 0.7, 0.75, 0.8, 0.85, 1.2, 1.45, 1.5}
}

func shoppingMonths() [12]float64 {
	return [12]float64{0.95, 0.85, 0.9, 0.9, 0.95, 0.9, 0.9, 0.9, 0.95, 1.0, 1.1, 1.35}
}

// themes returns the demo's categories in a fixed order. Codes are those of
// internal/reference/categories.json.
func themes() []theme {
	youth := clock{hours: eveningHours(), weekdays: [7]float64{0.8, 0.75, 0.8, 0.85, 0.9, 1.35, 1.45},
		months: [12]float64{0.6, 0.6, 0.8, 1.0, 1.2, 1.3, 1.35, 1.25, 1.05, 0.85, 0.7, 0.75},
		night:  true, weekendNight: 1.4, holidays: 1.35, newYear: 6, covid: covidYouth}
	nightlife := clock{hours: nightlifeHours(), weekdays: [7]float64{1.1, 0.85, 0.85, 0.9, 0.95, 1.2, 1.4},
		months: [12]float64{0.9, 0.9, 0.95, 1, 1.05, 1.1, 1.1, 1.05, 1, 0.95, 0.95, 1.05},
		night:  true, weekendNight: 1.5, newYear: 5, kingsDay: 3, covid: covidNightlife}
	robbery := clock{hours: [24]float64{0.8, 0.6, 0.5, 0.35, 0.2, 0.1, 0.1, 0.15, 0.2, 0.2, 0.25, 0.3,
		0.35, 0.4, 0.45, 0.55, 0.65, 0.75, 0.85, 1.0, 1.15, 1.2, 1.15, 1.0},
		weekdays: [7]float64{1.0, 0.85, 0.85, 0.9, 1.0, 1.25, 1.35},
		months:   [12]float64{1.2, 1.1, 1, 0.9, 0.9, 0.85, 0.9, 0.9, 0.95, 1.1, 1.15, 1.25},
		night:    true, weekendNight: 1.2, dusk: 0.5, covid: covidNightlife}
	noise := clock{hours: [24]float64{1.0, 0.8, 0.55, 0.35, 0.2, 0.1, 0.1, 0.15, 0.25, 0.35, 0.4, 0.45,
		0.5, 0.5, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0, 1.15, 1.25, 1.2},
		weekdays: [7]float64{1.1, 0.8, 0.8, 0.85, 0.9, 1.25, 1.4}, months: summerMonths(),
		night: true, weekendNight: 1.3, newYear: 8, covid: covidAtHome}
	warden := clock{hours: wardenHours(), weekdays: [7]float64{0.05, 1.7, 1.1, 1.0, 1.0, 0.9, 0.15}}
	office := clock{hours: officeHours(), weekdays: [7]float64{0.02, 1, 1.05, 1.05, 1.05, 0.9, 0.02},
		months: [12]float64{1, 1, 1, 1, 1, 1, 0.7, 0.6, 1, 1, 1, 0.8}, growth: 0.2}
	online := clock{hours: onlineHours(), weekdays: [7]float64{0.6, 1.2, 1.1, 1.05, 1.05, 1.0, 0.7},
		months: [12]float64{1, 0.95, 0.95, 0.95, 0.95, 0.9, 0.85, 0.85, 0.95, 1, 1.15, 1.35}, growth: 0.15}
	shop := clock{hours: shopHours(), weekdays: [7]float64{0.45, 1, 0.95, 0.95, 1.05, 1.2, 1.45},
		months: shoppingMonths(), covid: covidShops}

	litter := warden
	litter.months, litter.holidays, litter.covid = summerMonths(), 1.15, covidAtHome
	waste := warden
	waste.months, waste.covid = [12]float64{1.05, 0.95, 0.95, 0.95, 1, 1, 1.05, 1.05, 0.95, 0.95, 1, 1.2}, covidAtHome
	dumping := warden
	dumping.months, dumping.covid = [12]float64{1.1, 0.85, 0.9, 1, 1, 1, 1.1, 1.15, 1.05, 0.95, 0.9, 1.05}, covidAtHome
	violence := nightlife
	threat := clock{hours: dayHours(), weekdays: [7]float64{0.9, 1, 1, 1, 1, 1.05, 1}, months: flat12()}
	vandalism := nightlife
	vandalism.months, vandalism.newYear, vandalism.covid = summerMonths(), 40, covidNone
	neighbours := noise
	neighbours.months, neighbours.weekendNight, neighbours.newYear = [12]float64{1.1, 1.05, 1, 0.95, 0.95, 0.95, 1, 1, 0.95, 1, 1.05, 1.1}, 1.1, 2
	drink := clock{hours: [24]float64{0.8, 0.6, 0.4, 0.2, 0.1, 0.05, 0.05, 0.1, 0.15, 0.25, 0.35, 0.45,
		0.55, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.2, 1.15, 1.05, 0.95},
		weekdays: [7]float64{1.05, 0.85, 0.85, 0.9, 0.95, 1.2, 1.3}, months: summerMonths(),
		night: true, weekendNight: 1.3, kingsDay: 4, newYear: 3, covid: covidAtHome}
	confused := clock{hours: [24]float64{0.5, 0.4, 0.35, 0.3, 0.25, 0.25, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95,
		1.0, 1.0, 1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.25, 1.15, 0.95, 0.7},
		weekdays: [7]float64{1, 1, 1, 1, 1, 1.05, 1.05},
		months:   [12]float64{0.95, 0.9, 1, 1, 1.05, 1.05, 1.05, 1, 1, 1, 0.95, 1}, growth: 0.16}
	burglary := clock{hours: burglaryHours(), weekdays: [7]float64{0.85, 1, 1, 1, 1.05, 1.1, 0.95},
		months: darkMonths(), dusk: 1.2, holidays: 1.15, covid: covidHome}
	holdup := clock{hours: [24]float64{0.3, 0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6,
		0.6, 0.6, 0.7, 0.8, 1.0, 1.4, 1.6, 1.5, 1.3, 1.1, 0.9, 0.5},
		weekdays: [7]float64{0.8, 1, 1, 1, 1, 1.1, 1.1}, months: darkMonths(), dusk: 0.8, covid: covidShops}
	closed := clock{hours: closedHours(), weekdays: [7]float64{1.3, 1.0, 0.9, 0.9, 0.9, 1.0, 1.3},
		months: [12]float64{1.2, 1.1, 1, 0.9, 0.85, 0.85, 0.9, 0.95, 0.95, 1.1, 1.2, 1.25}, night: true}
	car := closed
	car.weekdays, car.months = flat7(), darkMonths()
	bike := clock{hours: [24]float64{0.3, 0.25, 0.2, 0.15, 0.1, 0.1, 0.3, 0.8, 1.2, 1.0, 0.8, 0.8,
		0.9, 0.9, 0.9, 1.0, 1.1, 1.3, 1.3, 1.1, 0.9, 0.8, 0.6, 0.4},
		weekdays: [7]float64{0.8, 1.05, 1.05, 1.05, 1.05, 1.05, 0.95},
		months:   [12]float64{0.7, 0.7, 0.85, 1, 1.05, 1.05, 1, 1, 1.25, 1.3, 1.1, 0.9}, covid: covidShops}
	events := clock{hours: [24]float64{0.4, 0.3, 0.1, 0, 0, 0, 0, 0, 0, 0, 0.05, 0.15,
		0.4, 0.6, 0.8, 0.9, 1, 1, 1.1, 1.2, 1.3, 1.2, 1, 0.7},
		weekdays: [7]float64{1.6, 0.3, 0.3, 0.35, 0.5, 0.9, 2.0},
		months:   [12]float64{0.1, 0.1, 0.2, 0.6, 1.2, 1.6, 1.7, 1.6, 1.2, 0.5, 0.2, 0.3},
		night:    true, kingsDay: 12, covid: covidEvents}

	return []theme{
		// Youth nuisance: 2020-2023 are the published figures (raadsinformatiebrief
		// jaarprogramma 2024); 2019 (190), 2024 (91) and 2025 (87) are our own estimates.
		{category: "overlast-jeugd", counts: [7]int{190, 258, 123, 104, 98, 91, 87}, when: youth,
			where: func(b *buurtProfile) float64 {
				return b.pop*(1+2*b.is(tagYouth))*(1+0.8*b.is(tagCentre)) + 2500*b.is(tagSport) + 800*b.is(tagStation)
			}, cluster: 0.45, spot: 1, spread: 50},
		// Confused behaviour (E33): "snel groeiende aantal overlastmeldingen".
		{category: "verward-gedrag", counts: [7]int{95, 112, 128, 150, 176, 205, 232}, when: confused,
			where: func(b *buurtProfile) float64 {
				return b.pop*(1+0.8*b.is(tagCentre)) + 1200*b.is(tagStation) + 800*b.is(tagCentre)
			}, cluster: 0.2, spot: 0, spread: 80},
		// High Impact Crime.
		{category: "woninginbraak", counts: [7]int{95, 68, 58, 64, 60, 55, 52}, when: burglary,
			where:  func(b *buurtProfile) float64 { return b.pop * (1 - 0.5*b.is(tagStudents)) },
			repeat: 0.25, spread: 120},
		{category: "straatroof", counts: [7]int{28, 17, 15, 22, 24, 20, 19}, when: robbery,
			where: func(b *buurtProfile) float64 {
				return 0.5*b.pop + 1500*b.is(tagStation) + 1500*b.is(tagCentre) + 600*b.is(tagShops)
			}, cluster: 0.3, spot: 0, spread: 120},
		{category: "overval", counts: [7]int{6, 4, 3, 5, 4, 3, 3}, when: holdup,
			where: func(b *buurtProfile) float64 {
				return 3000*b.is(tagCentre) + 1500*b.is(tagShops) + 500*b.is(tagStation) + 0.2*b.pop
			}, cluster: 0.5, spot: 0, spread: 60},
		{category: "mishandeling", counts: [7]int{150, 138, 132, 155, 160, 152, 148}, when: violence,
			where: func(b *buurtProfile) float64 {
				return b.pop + 2500*b.is(tagCentre) + 1000*b.is(tagStation) + 600*b.is(tagStudents) + 800*b.is(tagSport)
			}, cluster: 0.15, spot: 0, spread: 80},
		{category: "bedreiging", counts: [7]int{70, 74, 68, 76, 80, 78, 76}, when: threat,
			where: func(b *buurtProfile) float64 { return b.pop + 1500*b.is(tagCentre) + 500*b.is(tagStation) }},
		{category: "openlijk-geweld", counts: [7]int{14, 10, 11, 15, 13, 12, 12}, when: violence,
			where: func(b *buurtProfile) float64 {
				return 0.3*b.pop + 2000*b.is(tagCentre) + 1500*b.is(tagStation) + 800*b.is(tagSport)
			}, cluster: 0.3, spot: 0, spread: 80},
		// Property crime.
		{category: "fietsendiefstal", counts: [7]int{260, 205, 195, 225, 235, 220, 210}, when: bike,
			where: func(b *buurtProfile) float64 {
				return 0.6*b.pop + 3500*b.is(tagStation) + 2000*b.is(tagCentre) + 1500*b.is(tagStudents) +
					600*b.is(tagShops) + 500*b.is(tagSport)
			}, cluster: 0.4, spot: 0, spread: 70},
		{category: "zakkenrollerij", counts: [7]int{40, 17, 14, 28, 32, 30, 28}, when: shop,
			where: func(b *buurtProfile) float64 {
				return 3000*b.is(tagCentre) + 2000*b.is(tagStation) + 800*b.is(tagShops) + 0.05*b.pop
			}, cluster: 0.5, spot: 0, spread: 60},
		{category: "winkeldiefstal", counts: [7]int{120, 96, 102, 126, 141, 146, 139}, when: shop,
			where: func(b *buurtProfile) float64 {
				return 5000*b.is(tagCentre) + 2000*b.is(tagShops) + 300*b.is(tagStation)
			}, cluster: 0.6, spot: 0, spread: 40},
		{category: "inbraak-bedrijf", counts: [7]int{45, 38, 35, 40, 42, 38, 36}, when: closed,
			where: func(b *buurtProfile) float64 {
				return 4000*b.biz + 1500*b.is(tagCentre) + 800*b.is(tagShops) + 0.05*b.pop
			}, cluster: 0.3, spot: 0, spread: 100},
		{category: "diefstal-uit-motorvoertuig", counts: [7]int{165, 140, 125, 150, 158, 145, 138}, when: car,
			where: func(b *buurtProfile) float64 {
				return b.pop + 1500*b.is(tagStation) + 800*b.biz + 500*b.is(tagSport)
			}},
		{category: "vernieling", counts: [7]int{210, 232, 204, 192, 186, 180, 174}, when: vandalism,
			where: func(b *buurtProfile) float64 {
				return b.pop*(1+0.5*b.is(tagYouth)) + 1500*b.is(tagCentre) + 1000*b.is(tagStation) + 800*b.is(tagSport)
			}, cluster: 0.2, spot: 1, spread: 80},
		// Nuisance.
		{category: "geluidshinder", counts: [7]int{120, 168, 152, 126, 118, 121, 116}, when: noise,
			where: func(b *buurtProfile) float64 { return b.pop*(1+b.is(tagStudents)) + 300*b.is(tagSport) }},
		{category: "overlast-burengerucht", counts: [7]int{140, 186, 171, 151, 146, 148, 143}, when: neighbours,
			where: func(b *buurtProfile) float64 { return b.pop * (1 + 0.3*b.is(tagStudents)) }},
		{category: "overlast-alcohol-drugs", counts: [7]int{60, 76, 63, 58, 55, 57, 54}, when: drink,
			where: func(b *buurtProfile) float64 {
				return 0.5*b.pop + 1500*b.is(tagCentre) + 1200*b.is(tagStation) + 600*b.is(tagYouth) + 150*b.is(tagGreen)
			}, cluster: 0.35, spot: 1, spread: 60},
		// Litter and waste, registered by the city wardens.
		{category: "zwerfvuil", counts: [7]int{300, 338, 331, 352, 371, 423, 451}, when: litter,
			where: func(b *buurtProfile) float64 {
				return 0.6*b.pop + 2500*b.is(tagCentre) + 1500*b.is(tagStation) + 1000*b.is(tagShops) +
					800*b.is(tagSport) + 150*b.is(tagGreen) + 600*b.biz
			}, cluster: 0.2, spot: 0, spread: 100},
		{category: "afval-verkeerd-aangeboden", counts: [7]int{380, 418, 409, 431, 452, 521, 563}, when: waste,
			where:   func(b *buurtProfile) float64 { return b.pop * (1 + 0.6*b.is(tagStudents)) },
			cluster: 0.25, spot: 1, spread: 70},
		{category: "grofvuil-dumping", counts: [7]int{110, 142, 131, 126, 131, 146, 152}, when: dumping,
			where:   func(b *buurtProfile) float64 { return 0.5*b.pop + 3000*b.biz + 200*b.is(tagGreen) },
			cluster: 0.3, spot: 1, spread: 80},
		// Undermining: signals on the business parks (and homes); housing fraud in homes.
		{category: "ondermijning-signaal", counts: [7]int{12, 14, 18, 24, 30, 38, 43}, when: office,
			where: func(b *buurtProfile) float64 {
				return 0.25*b.pop + 6000*b.biz + 800*b.is(tagCentre)
			}, cluster: 0.5, spot: 0, spread: 60},
		{category: "woonfraude", counts: [7]int{25, 22, 28, 34, 40, 46, 49}, when: office,
			where: func(b *buurtProfile) float64 { return b.pop }},
		// Digital crime and fraud, registered where the victim lives or works.
		{category: "cybercrime-melding", counts: [7]int{40, 63, 81, 93, 106, 121, 135}, when: online,
			where: func(b *buurtProfile) float64 { return b.pop + 300*b.biz }},
		{category: "horizontale-fraude", counts: [7]int{110, 152, 176, 189, 205, 221, 233}, when: online,
			where: func(b *buurtProfile) float64 { return b.pop + 200*b.biz }},
		// Events.
		{category: "evenement-incident", counts: [7]int{14, 3, 5, 15, 17, 18, 19}, when: events,
			where: func(b *buurtProfile) float64 {
				return 5000*b.is(tagSport) + 3000*b.is(tagCentre) + 250*b.is(tagGreen)
			}, cluster: 0.7, spot: 0, spread: 80},
	}
}
