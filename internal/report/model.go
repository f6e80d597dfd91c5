// Package report writes the documents Baken makes for the council and the programme
// team: the council letter (raadsinformatiebrief) and the progress report, as Markdown,
// HTML, PDF, DOCX and (progress) Excel. It renders plain data; what goes into a document
// (which figures, known on which date) is decided by the caller. The same data always
// gives the same bytes for Markdown and HTML, so a letter can be reproduced and checked.
package report

import "time"

// Format is a document format.
type Format string

const (
	Markdown Format = "md"
	HTML     Format = "html"
	PDF      Format = "pdf"
	DOCX     Format = "docx"
	XLSX     Format = "xlsx" // progress report only
)

// SmallCount is the threshold under which a count is shown as "<5": counts 1 to
// SmallCount-1 are not published exactly (a zero is shown as 0).
const SmallCount = 5

// Letter is a council letter (raadsinformatiebrief) on a yearly programme, with the
// structure Diemen's letters have: background and occasion, the college decision, a
// summary per priority and per current theme, the figures per indicator, and what
// follows. Text fields are plain text; paragraphs are separated by a blank line.
type Letter struct {
	Gemeente      string    // CBS code, e.g. GM0384
	GemeenteName  string    // e.g. Diemen
	Title         string    // e.g. "Jaarprogramma uitvoering integrale veiligheid 2024"
	ProgrammeYear int       // e.g. 2024
	PlanTitle     string    // the multi-year plan the programme works out
	PlanPeriod    string    // e.g. "2023-2026"
	Background    string    // "Wat is de voorgeschiedenis en de concrete aanleiding?"
	Decision      time.Time // date of the college decision; zero when there is none
	Summary       string    // opening of the summary
	Priorities    []Section // the plan's priorities, in rank order
	Themes        []Section // current themes the programme adds (actuele thema's)
	Indicators    []Indicator
	FollowUp      string    // "Vervolg"
	AsOf          time.Time // the reference date: figures are what was known on this day
	Notes         []string  // remarks printed under the letter, e.g. that figures are demo data
}

// Section is a numbered or titled part of a document with its text.
type Section struct {
	Number int // 0: not numbered
	Title  string
	Text   string
}

// Indicator is an indicator with its values, as printed in a table and a chart.
type Indicator struct {
	Code       string
	Name       string
	Definition string
	Unit       string // e.g. "registraties", "per 1.000 inwoners", "%"
	AreaName   string // e.g. "gemeente Diemen"
	Source     string
	Caveat     string
	Count      bool // values are counts of registrations: 1-4 are shown as "<5"
	Values     []Value
}

// Value is an indicator's value in a period (a year).
type Value struct {
	Period      int
	Value       float64
	Provisional bool // voorlopig: the figure may still change
}

// Judgement says whether an objective is on track towards its target.
type Judgement string

const (
	OnTrack  Judgement = "op-koers"
	OffTrack Judgement = "niet-op-koers"
	Unknown  Judgement = "onbekend"
)

// Progress is the progress report on a yearly programme: per objective baseline, target
// and actual value with a judgement, and the status of its actions.
type Progress struct {
	Gemeente      string
	GemeenteName  string
	Title         string // e.g. "Voortgang jaarprogramma integrale veiligheid 2024"
	ProgrammeYear int
	AsOf          time.Time
	Objectives    []ObjectiveProgress
	ActionsDone   int         // actions with status afgerond
	ActionsTotal  int         // all actions, dropped ones included
	Indicators    []Indicator // every indicator the objectives use, with its values
	Notes         []string
}

// ObjectiveProgress is one objective in the progress report.
type ObjectiveProgress struct {
	Number     int
	Title      string
	Kind       string   // effect or output (prestatie)
	Priorities []string // titles of the priorities it serves; empty when none
	Indicator  string   // code of the indicator that measures it; empty when none
	Unit       string
	Direction  string // down, up or empty
	Baseline   *YearValue
	Target     *YearValue
	Actual     *YearValue
	Judgement  Judgement
	Reason     string // why the judgement is what it is, in one sentence
	Actions    []ActionProgress
}

// YearValue is a value in a year.
type YearValue struct {
	Year        int
	Value       float64
	Provisional bool
}

// ActionProgress is an action's state in the progress report.
type ActionProgress struct {
	Title     string
	OwnerTeam string
	Partners  []string
	Status    string // gepland, gestart, afgerond, uitgesteld, vervallen
	RAG       string // groen, oranje, rood or empty
	Notes     string
	Carried   bool // carried over from last year's programme
}
