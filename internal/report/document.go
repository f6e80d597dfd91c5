package report

import (
	"strconv"
	"strings"
	"time"
)

// A document is what every format renders: the letter or the progress report as a list
// of blocks (headings, paragraphs, tables, charts), built once, so that Markdown, HTML,
// PDF and DOCX carry the same text and the same figures.
type document struct {
	Title   string // for the window title and the file's metadata
	Subject string
	Author  string // "Gemeente Diemen"
	Date    time.Time
	Footer  string // running footer of the paged formats
	Blocks  []block
}

type blockKind int

const (
	blockTitle   blockKind = iota // the document's one top heading
	blockFields                   // label/value pairs under the title
	blockHeading                  // Level 2 (section) or 3 (subsection)
	blockPara                     // a paragraph, with an optional bold Label
	blockItem                     // one item of a list
	blockTable
	blockChart
	blockNote // small print: footnotes, remarks, the reference date
)

type block struct {
	Kind   blockKind
	Level  int
	Label  string
	Text   string
	Fields []field
	Table  *table
	Chart  *chart
}

type field struct {
	Label, Value string
}

// table is a table with one header row; the first column heads its row (the year, the
// action).
type table struct {
	Caption string
	Header  []string
	Rows    [][]string
	Numeric []bool // columns aligned right
}

func heading(level int, text string) block {
	return block{Kind: blockHeading, Level: level, Text: text}
}
func para(text string) block            { return block{Kind: blockPara, Text: text} }
func labelled(label, text string) block { return block{Kind: blockPara, Label: label, Text: text} }
func note(text string) block            { return block{Kind: blockNote, Text: text} }

// textBlocks splits plain text into paragraphs at blank lines; a line starting with a
// bullet ("•", "-", "–" or "*" and a space) is a list item of its own. Runs of white
// space become one space.
func textBlocks(text string) []block {
	var out []block
	var lines []string
	flush := func() {
		if len(lines) > 0 {
			out = append(out, para(strings.Join(lines, " ")))
			lines = nil
		}
	}
	for line := range strings.Lines(text) {
		t := strings.Join(strings.Fields(line), " ")
		if t == "" {
			flush()
			continue
		}
		if item, ok := listItem(t); ok {
			flush()
			out = append(out, block{Kind: blockItem, Text: item})
			continue
		}
		lines = append(lines, t)
	}
	flush()
	return out
}

func listItem(line string) (string, bool) {
	for _, bullet := range [...]string{"• ", "- ", "– ", "* "} {
		if rest, ok := strings.CutPrefix(line, bullet); ok && rest != "" {
			return rest, true
		}
	}
	return "", false
}

func sectionTitle(s Section) string {
	if s.Number > 0 {
		return strconv.Itoa(s.Number) + ". " + s.Title
	}
	return s.Title
}

// letterDocument lays out a council letter with the structure of Diemen's letters.
func letterDocument(l Letter) document {
	date := formatDate(l.AsOf)
	d := document{
		Title:   strings.TrimSpace("Raadsinformatiebrief " + l.Title),
		Subject: l.Title,
		Author:  "Gemeente " + l.GemeenteName,
		Date:    l.AsOf,
		Footer:  "Raadsinformatiebrief gemeente " + l.GemeenteName + " – " + date,
	}
	add := func(b ...block) { d.Blocks = append(d.Blocks, b...) }

	fields := []field{{"Gemeente", l.GemeenteName}, {"Onderwerp", l.Title}}
	if l.PlanTitle != "" {
		plan := l.PlanTitle
		if l.PlanPeriod != "" && !strings.Contains(plan, l.PlanPeriod) {
			plan += " (" + l.PlanPeriod + ")"
		}
		fields = append(fields, field{"Meerjarenplan", plan})
	}
	fields = append(fields, field{"Datum", date})
	add(block{Kind: blockTitle, Text: "Raadsinformatiebrief"}, block{Kind: blockFields, Fields: fields})

	if bs := textBlocks(l.Background); len(bs) > 0 {
		add(heading(2, "Aanleiding en voorgeschiedenis"))
		add(bs...)
	}

	add(heading(2, "Collegebesluit"))
	if l.Decision.IsZero() {
		add(para("Nee."))
	} else {
		add(para("Ja, op " + formatDate(l.Decision) + "."))
	}

	add(heading(2, "Samenvatting"))
	add(textBlocks(l.Summary)...)
	for _, s := range l.Priorities {
		add(heading(3, sectionTitle(s)))
		add(textBlocks(s.Text)...)
	}
	for _, s := range l.Themes {
		add(heading(3, sectionTitle(s)))
		add(textBlocks(s.Text)...)
	}

	if len(l.Indicators) > 0 {
		add(heading(2, "Cijfers"))
		for _, ind := range l.Indicators {
			add(indicatorBlocks(ind)...)
		}
	}

	if bs := textBlocks(l.FollowUp); len(bs) > 0 {
		add(heading(2, "Vervolg"))
		add(bs...)
	}

	for _, n := range l.Notes {
		add(note(n))
	}
	add(note("Cijfers zoals bekend op " + date + "."))
	return d
}

// indicatorBlocks are an indicator's figures: a table of its values, the same values
// as a chart, and what a reader needs to weigh them (definition, source, caveat).
func indicatorBlocks(ind Indicator) []block {
	out := []block{heading(3, ind.Name)}
	if len(ind.Values) == 0 {
		out = append(out, para("Er zijn nog geen waarden bekend."))
	} else {
		dec := indicatorDecimals(ind)
		anyProvisional, anySuppressed := false, false
		for _, v := range ind.Values {
			anyProvisional = anyProvisional || v.Provisional
			anySuppressed = anySuppressed || suppressed(v.Value, ind.Count)
		}
		valueHeader := "Waarde"
		if ind.Unit != "" {
			valueHeader += " (" + ind.Unit + ")"
		}
		t := &table{
			Caption: ind.Name + indicatorArea(ind) + ", per jaar",
			Header:  []string{"Jaar", valueHeader},
			Numeric: []bool{false, true},
		}
		if anyProvisional {
			t.Header = append(t.Header, "Status")
			t.Numeric = append(t.Numeric, false)
		}
		for _, v := range ind.Values {
			row := []string{strconv.Itoa(v.Period), showValue(v.Value, v.Provisional, ind.Count, dec).Text}
			if anyProvisional {
				status := "definitief"
				if v.Provisional {
					status = "voorlopig"
				}
				row = append(row, status)
			}
			t.Rows = append(t.Rows, row)
		}
		c := newChart(ind)
		out = append(out, block{Kind: blockTable, Table: t}, block{Kind: blockChart, Chart: &c})
		if anyProvisional {
			out = append(out, note(provisionalNote))
		}
		if anySuppressed {
			out = append(out, note(suppressedNote))
		}
	}
	if ind.Definition != "" {
		out = append(out, labelled("Definitie", ind.Definition))
	}
	if ind.Source != "" {
		out = append(out, labelled("Bron", ind.Source))
	}
	if ind.Caveat != "" {
		out = append(out, labelled("Kanttekening", ind.Caveat))
	}
	return out
}

func indicatorArea(ind Indicator) string {
	if ind.AreaName == "" {
		return ""
	}
	return ", " + ind.AreaName
}

// actionStatuses are the action statuses in the order of the status table.
var actionStatuses = [...]string{"gepland", "gestart", "afgerond", "uitgesteld", "vervallen"}

// progressDocument lays out the progress report: the share of actions done, then per
// objective where it stands and what is being done, then the indicators' figures.
func progressDocument(p Progress) document {
	date := formatDate(p.AsOf)
	d := document{
		Title:   p.Title,
		Subject: p.Title,
		Author:  "Gemeente " + p.GemeenteName,
		Date:    p.AsOf,
		Footer:  "Voortgangsrapportage gemeente " + p.GemeenteName + " – stand op " + date,
	}
	add := func(b ...block) { d.Blocks = append(d.Blocks, b...) }

	fields := []field{{"Gemeente", p.GemeenteName}}
	if p.ProgrammeYear != 0 {
		fields = append(fields, field{"Jaarprogramma", strconv.Itoa(p.ProgrammeYear)})
	}
	add(block{Kind: blockTitle, Text: p.Title}, block{Kind: blockFields, Fields: fields})
	add(para("Stand op " + date + "."))

	add(heading(2, "Acties"))
	if p.ActionsTotal == 0 {
		add(para("Het jaarprogramma heeft nog geen acties."))
	} else {
		add(para(strconv.Itoa(p.ActionsDone) + " van " + strconv.Itoa(p.ActionsTotal) +
			" acties afgerond (" + formatShare(p.ActionsDone, p.ActionsTotal) + ")."))
		if t := statusTable(p.Objectives); t != nil {
			add(block{Kind: blockTable, Table: t})
		}
	}

	indicators := make(map[string]Indicator, len(p.Indicators))
	for _, ind := range p.Indicators {
		indicators[ind.Code] = ind
	}
	if len(p.Objectives) > 0 {
		add(heading(2, "Doelstellingen"))
	}
	for _, o := range p.Objectives {
		add(objectiveBlocks(o, indicators, p.ProgrammeYear)...)
	}

	if len(p.Indicators) > 0 {
		add(heading(2, "Indicatoren"))
		for _, ind := range p.Indicators {
			add(indicatorBlocks(ind)...)
		}
	}

	for _, n := range p.Notes {
		add(note(n))
	}
	add(note("Cijfers zoals bekend op " + date + "."))
	return d
}

// statusTable counts the objectives' actions per status, in the order of the life of
// an action; a status outside that order comes last.
func statusTable(objectives []ObjectiveProgress) *table {
	counts := map[string]int{}
	var extra []string
	for _, o := range objectives {
		for _, a := range o.Actions {
			if counts[a.Status] == 0 && !isKnownStatus(a.Status) {
				extra = append(extra, a.Status)
			}
			counts[a.Status]++
		}
	}
	if len(counts) == 0 {
		return nil
	}
	t := &table{Caption: "Acties per status", Header: []string{"Status", "Aantal"}, Numeric: []bool{false, true}}
	for _, s := range append(actionStatuses[:], extra...) {
		if n := counts[s]; n > 0 {
			name := s
			if name == "" {
				name = "zonder status"
			}
			t.Rows = append(t.Rows, []string{name, strconv.Itoa(n)})
		}
	}
	return t
}

func isKnownStatus(s string) bool {
	for _, k := range actionStatuses {
		if s == k {
			return true
		}
	}
	return false
}

func objectiveBlocks(o ObjectiveProgress, indicators map[string]Indicator, year int) []block {
	title := "Doelstelling"
	if o.Number > 0 {
		title += " " + strconv.Itoa(o.Number)
	}
	out := []block{heading(3, title+": "+o.Title)}
	if o.Kind != "" {
		out = append(out, labelled("Soort", kindText(o.Kind)))
	}
	if len(o.Priorities) == 0 {
		out = append(out, labelled("Prioriteiten", "geen van de prioriteiten"))
	} else {
		out = append(out, labelled("Prioriteiten", strings.Join(o.Priorities, "; ")))
	}

	ind, hasInd := indicators[o.Indicator]
	if o.Indicator != "" {
		name := o.Indicator
		if hasInd && ind.Name != "" {
			name = ind.Name
		}
		out = append(out, labelled("Indicator", name))
	}
	unit := o.Unit
	if unit == "" && hasInd {
		unit = ind.Unit
	}
	var dec int
	if hasInd {
		dec = indicatorDecimals(ind)
	} else {
		var vs []float64
		for _, yv := range []*YearValue{o.Baseline, o.Target, o.Actual} {
			if yv != nil {
				vs = append(vs, yv.Value)
			}
		}
		dec = decimalsFor(vs...)
	}
	count := hasInd && ind.Count
	anyProvisional, anySuppressed := false, false
	// A target is a policy choice, not an observation: it is never suppressed.
	show := func(yv *YearValue, observed bool) string {
		if yv == nil {
			return "onbekend"
		}
		s := showValue(yv.Value, yv.Provisional, count && observed, dec)
		anyProvisional = anyProvisional || s.Provisional
		anySuppressed = anySuppressed || s.Suppressed
		return withUnit(s.Text, unit) + " (" + strconv.Itoa(yv.Year) + ")"
	}
	if o.Baseline != nil || o.Target != nil || o.Actual != nil {
		out = append(out, labelled("Nulmeting → streefwaarde → actueel",
			show(o.Baseline, true)+" → "+show(o.Target, false)+" → "+show(o.Actual, true)))
	}
	if dir := directionText(o.Direction); dir != "" {
		out = append(out, labelled("Gewenste richting", dir))
	}
	judgement := judgementText(o.Judgement)
	if o.Reason != "" {
		judgement += ". " + o.Reason
	}
	out = append(out, labelled("Oordeel", judgement))
	if anyProvisional {
		out = append(out, note(provisionalNote))
	}
	if anySuppressed {
		out = append(out, note(suppressedNote))
	}

	if len(o.Actions) == 0 {
		return append(out, para("Bij deze doelstelling zijn geen acties opgenomen."))
	}
	t := &table{
		Caption: "Acties bij " + strings.ToLower(title[:1]) + title[1:],
		Header:  []string{"Actie", "Eigenaar", "Partners", "Status", "RAG"},
		Numeric: make([]bool, 5),
	}
	for _, a := range o.Actions {
		name := a.Title
		if a.Carried && year > 0 {
			name += " (doorgeschoven uit " + strconv.Itoa(year-1) + ")"
		} else if a.Carried {
			name += " (doorgeschoven uit vorig jaar)"
		}
		partners := strings.Join(a.Partners, ", ")
		if partners == "" {
			partners = "geen"
		}
		t.Rows = append(t.Rows, []string{name, a.OwnerTeam, partners, a.Status, a.RAG})
	}
	return append(out, block{Kind: blockTable, Table: t})
}
