package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"baken/internal/baken"
	"baken/internal/reference"
	"baken/internal/store"
)

// Diemen's Meerjarenbeleidsplan Integrale Veiligheid 2023-2026 and its Jaarprogramma
// 2024 as structured data. The facts (titles, years, the college decision of 6 February
// 2024, the three priorities, the two current themes, the five objectives and their
// partners, the youth-nuisance figures) follow Diemen's council letter on the
// Jaarprogramma 2024; the wording is Baken's own. Owner teams, action statuses, the
// target of objective 3 and every figure Baken computes are demo data.

// Indicator codes of the demo programme.
const (
	IndicatorYouthNuisance = "demo-jeugdoverlast"
	IndicatorConfused      = "demo-verward-gedrag-e33"
	IndicatorHIC           = "demo-hic"
	// IndicatorFeelsUnsafe is entered by hand (a survey figure), not computed.
	IndicatorFeelsUnsafe = "demo-onveilig-in-buurt"
)

// PlanTitle is the title of the demo's multi-year plan.
const PlanTitle = "Meerjarenbeleidsplan Integrale Veiligheid 2023-2026: Verder bouwen aan een veilig Diemen"

// demoNote marks text whose figures come from the generated demo data.
const demoNote = "Let op: dit is de demo van Baken. Plan en jaarprogramma volgen de openbare stukken van Diemen, " +
	"maar eigenaarteams, actiestatussen, de streefwaarde van doelstelling 3 (in 2024 hoogstens 95 registraties " +
	"jeugdoverlast, voor de demo bedacht) en alle cijfers die Baken berekent komen uit gegenereerde demodata " +
	"(bron \"" + Source + "\"), niet uit echte meldingen of registraties."

// The programme's texts for the council letter: the opening of its summary, the two
// current themes and what follows.
const (
	programmeSummary = "Het college heeft het jaarprogramma 2024 voor de uitvoering van het integrale veiligheidsbeleid " +
		"vastgesteld. Het programma maakt concreet hoe de gemeente dit jaar werkt aan de thema's en prioriteiten uit het " +
		"Meerjarenbeleidsplan Integrale Veiligheid 2023-2026. Het jaarprogramma zelf is bij deze brief gevoegd; hieronder " +
		"staan de drie prioriteiten en de twee actuele thema's in het kort."
	themeYouthTitle = "Jeugdoverlast en -criminaliteit"
	themeYouthText  = "Dit thema stond ook al in het jaarprogramma 2023, en de inzet lijkt te werken: het aantal " +
		"registraties van jeugdoverlast loopt al een paar jaar terug (zie de cijfers). Tegelijk zien we in het hele land " +
		"dat jeugdcriminaliteit harder wordt en dat verdachten van zware delicten steeds jonger zijn. Diemen wil de " +
		"jongeren in beeld houden en voorkomen dat het probleem weer groeit. Daarom blijft de gemeente er in 2024 op " +
		"inzetten, zowel om het te voorkomen als om op te treden."
	themeCareTitle = "Zorg en veiligheid"
	themeCareText  = "Nieuw in het jaarprogramma 2024 is zorg en veiligheid, en dan vooral onbegrepen en onveilig gedrag. " +
		"De aanleiding is het snel stijgende aantal overlastmeldingen en politieregistraties: een landelijke ontwikkeling " +
		"die nu ook in Diemen te merken is. Deze casussen zijn ingewikkeld. Ze draaien om personen, en gemeente, politie " +
		"en ggz zijn er allemaal bij betrokken, vaak met meerdere teams of afdelingen per casus. In Diemen komt de lokale " +
		"aanpak samen in het Zorg- en Signalenoverleg. Naast de aanpak rond personen richt de gemeente zich in 2024 ook " +
		"op plekken waar veel overlast is."
	programmeFollowUp = "Zoals met de raad is afgesproken, vraagt het college het presidium om het jaarprogramma 2024 " +
		"te agenderen voor een informatieve raadsvergadering."
)

const (
	teamOOV        = "Team Openbare Orde en Veiligheid"
	teamToezicht   = "Stadstoezicht"
	teamVergunning = "Team Vergunningen"
)

type demoAction struct {
	title    string
	owner    string
	partners []string
	status   baken.ActionStatus
}

type demoObjective struct {
	title     string
	kind      baken.ObjectiveKind
	priority  int    // rank of the plan's priority it serves; 0: none
	indicator string // code of the indicator that measures it; "": none
	baseline  *baken.YearValue
	targets   []baken.YearValue
	dir       baken.Direction
	actions   []demoAction
}

func demoPriorities() []baken.Priority {
	return []baken.Priority{
		{Rank: 1, Title: "Ondermijnende criminaliteit: de aanpak verder versterken", Themes: []string{"5.2"},
			Summary: "De bestuurlijke aanpak van ondermijning krijgt meer structuur, wordt professioneler en groeit waar dat kan. " +
				"Drie sporen: informatiegestuurd optreden bij woningen en bedrijventerreinen, samenwerking in de regio, " +
				"en beter gebruik van het bestuurlijke instrumentarium."},
		{Rank: 2, Title: "High Impact Crime voorkomen: meer nadruk op preventie", Themes: []string{"1.3"},
			Summary: "Woninginbraak, overval, straatroof en geweld treffen slachtoffers extra hard. De gemeente zet de in 2023 " +
				"begonnen preventie voort en richt voorlichting en bewustwording gerichter op doelgroepen, buurten en plekken, " +
				"samen met onder meer de politie en het Platform Veilig Ondernemen (bijvoorbeeld op de veiligheidsdag en in " +
				"de Week van de Veiligheid)."},
		{Rank: 3, Title: "Digitale criminaliteit en fraude: meer inzet op voorkomen", Themes: []string{"5.3"},
			Summary: "Uitvoering van het in 2023 opgestelde plan van aanpak digitale criminaliteit, een werkplan dat meebeweegt. " +
				"Doel is dat inwoners en ondernemers weerbaarder worden, vooral de groepen met meer kans op slachtofferschap: " +
				"jongeren, ouderen en het mkb."},
	}
}

func demoObjectives() []demoObjective {
	return []demoObjective{
		{title: "Ondermijnende criminaliteit signaleren, voorkomen en aanpakken", kind: baken.ObjectiveEffect, priority: 1,
			actions: []demoAction{
				{"Interventieteam voortzetten en verder ontwikkelen: sociaal domein en stadstoezicht werken er samen met politie " +
					"en het Zorg- en Veiligheidshuis aan casussen die over domeinen heen gaan.", teamOOV,
					[]string{"Politie", "Zorg- en Veiligheidshuis", "Sociaal domein", "Stadstoezicht"}, baken.ActionStarted},
				{"Vaker integraal controleren bij horeca, (overlast)panden, bedrijventerreinen en illegale prostitutie.", teamOOV,
					[]string{"Politie", "Stadstoezicht"}, baken.ActionStarted},
				{"De aanpak van jeugd- en drugscriminaliteit, criminele families en netwerken en mensenhandel verder ontwikkelen; " +
					"sterkere informatiepositie in buurt en wijk en samen lobbyen bij politie en Rijk.", teamOOV,
					[]string{"Politie", "Rijksoverheid"}, baken.ActionPlanned},
			}},
		{title: "Minder High Impact Crimes in totaal", kind: baken.ObjectiveEffect, priority: 2, indicator: IndicatorHIC,
			dir: baken.DirectionDown,
			actions: []demoAction{
				{"Cyber- en gedigitaliseerde criminaliteit: de eigen organisatie weerbaar maken en ondernemers en inwoners " +
					"voorlichten over cybercrime.", teamOOV,
					[]string{"Politie", "Platform Veilig Ondernemen"}, baken.ActionStarted},
				{"Doorgaan met de structurele aanpak van woninginbraak en andere vormen van High Impact Crime.", teamOOV,
					[]string{"Politie", "Platform Veilig Ondernemen"}, baken.ActionStarted},
			}},
		// The seed gives the baseline (98 in 2023), not a target: 95 for 2024 is the demo's
		// own (demoNote says so).
		{title: "Minder jeugdoverlast", kind: baken.ObjectiveEffect, indicator: IndicatorYouthNuisance, dir: baken.DirectionDown,
			baseline: &baken.YearValue{Year: 2023, Value: 98}, targets: []baken.YearValue{{Year: 2024, Value: 95}},
			actions: []demoAction{
				{"Meer handhavers op straat dankzij extra administratieve capaciteit voor bestuursrechtelijke handhaving en " +
					"slimmer roosteren op de meldkamer.", teamToezicht, []string{"Stadstoezicht"}, baken.ActionStarted},
				{"Meer handhavers op straat dankzij betere digitale ondersteuning en een scanauto voor parkeercontroles.",
					teamToezicht, []string{"Stadstoezicht"}, baken.ActionPlanned},
				{"Jeugdboa's inzetten (2,4 fte extra, uit het Bestuursakkoord 2022-2026) die jongeren opzoeken waar ze zijn, " +
					"ook 's nachts, zonder dat de gewone inzet in de wijken minder wordt.", teamToezicht,
					[]string{"Jeugdboa's", "Stadstoezicht", "Politie"}, baken.ActionStarted},
				{"Stadstoezicht pakt klein leed aan, zoals verkeerd aangeboden afval en zwerfvuil, en begint een spreekuur in de wijk.",
					teamToezicht, []string{"Stadstoezicht"}, baken.ActionPlanned},
			}},
		{title: "Het vergunningenbeleid professioneler maken", kind: baken.ObjectiveOutput,
			actions: []demoAction{
				{"Beleid en uitvoering van vergunningen professioneler: een evenementencoördinator en meer capaciteit voor " +
					"vergunningverlening.", teamVergunning, []string{"Evenementencoördinator"}, baken.ActionStarted},
				{"Beter samenwerken met Stadstoezicht en andere afdelingen van de gemeente.", teamVergunning,
					[]string{"Stadstoezicht"}, baken.ActionPlanned},
				{"Organisatoren en ondernemers in Diemen goed helpen bij hun (vergunning)aanvragen.", teamVergunning,
					[]string{"Organisatoren van evenementen", "Ondernemers"}, baken.ActionPlanned},
			}},
		{title: "Polarisatie en radicalisering voorkomen", kind: baken.ObjectiveEffect,
			actions: []demoAction{
				{"Het netwerk versterken, de voedingsbodem voor radicalisering (links, rechts, jihadisme) kleiner maken en er " +
					"tegenwicht aan bieden.", teamOOV, []string{"Netwerkpartners"}, baken.ActionStarted},
				{"Gastlessen en rolmodellen op scholen.", teamOOV, []string{"Scholen"}, baken.ActionPlanned},
				{"Vertrouwen en verdraagzaamheid vergroten, tussen inwoners en tussen inwoners en overheid: ruimte voor " +
					"tegengeluid, het stille midden versterken en signalen oppikken door te luisteren.", teamOOV,
					[]string{"Inwoners", "Scholen"}, baken.ActionPlanned},
			}},
	}
}

// hicCategories returns the categories of the reference group HIC.
func hicCategories() ([]string, error) {
	tree, err := reference.Categories()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range tree.Categories {
		for _, g := range c.Groups {
			if g == "HIC" {
				out = append(out, c.Code)
				break
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("demo programme: the reference data has no HIC categories")
	}
	return out, nil
}

func demoIndicators() ([]baken.Indicator, error) {
	hic, err := hicCategories()
	if err != nil {
		return nil, err
	}
	return []baken.Indicator{
		{Gemeente: Gemeente, Code: IndicatorYouthNuisance, Name: "Registraties jeugdoverlast",
			Definition: "Aantal registraties in de categorie overlast-jeugd in de gemeente Diemen per kalenderjaar.",
			Unit:       "registraties", Source: "Baken, berekend uit registraties (demo: gegenereerd)",
			Caveat: "Politieregistraties hangen af van hoe vaak inwoners melden en hoe de politie registreert; " +
				"een daling kan ook minder melden betekenen. In de demo zijn de registraties gegenereerd.",
			Computed: true, Categories: []string{"overlast-jeugd"}, Area: Gemeente},
		{Gemeente: Gemeente, Code: IndicatorConfused, Name: "Overlast door personen met verward gedrag (E33)",
			Definition: "Aantal registraties in de categorie verward-gedrag (E33) in de gemeente Diemen per kalenderjaar; " +
				"het telt incidenten, geen personen.",
			Unit: "registraties", Source: "Baken, berekend uit registraties (demo: gegenereerd)",
			Caveat: "E33-aantallen zijn ongeschikt als prestatie-indicator voor beleid (DSP-groep, E33: meer dan een label); " +
				"gebruik ze om te signaleren, niet om beleid af te rekenen. In de demo zijn de registraties gegenereerd.",
			Computed: true, Categories: []string{"verward-gedrag"}, Area: Gemeente},
		{Gemeente: Gemeente, Code: IndicatorHIC, Name: "High Impact Crime",
			Definition: "Aantal registraties in de categorieën van de referentiegroep HIC (woninginbraak, straatroof, overval " +
				"en geweld) in de gemeente Diemen per kalenderjaar.",
			Unit: "registraties", Source: "Baken, berekend uit registraties (demo: gegenereerd)",
			Caveat:   "Registraties hangen af van aangiftebereidheid en registratiepraktijk. In de demo zijn de registraties gegenereerd.",
			Computed: true, Categories: hic, Area: Gemeente},
		{Gemeente: Gemeente, Code: IndicatorFeelsUnsafe, Name: "Voelt zich weleens onveilig in de eigen buurt",
			Definition: "Aandeel inwoners van 15 jaar en ouder dat zich weleens onveilig voelt in de eigen buurt, zoals de " +
				"Veiligheidsmonitor het om de twee jaar vraagt; met de hand ingevoerd.",
			Unit: "%", Source: "CBS Veiligheidsmonitor (demo: waarden bedacht)",
			Caveat: "In de demo zijn deze waarden bedacht: ze komen niet uit de Veiligheidsmonitor. Een steekproefcijfer " +
				"heeft een marge; kleine verschillen tussen twee metingen zeggen weinig."},
	}, nil
}

// demoMeasurements are the hand-entered values of the demo's entered indicator, by code.
func demoMeasurements() map[string][]baken.Measurement {
	return map[string][]baken.Measurement{
		IndicatorFeelsUnsafe: {
			{Area: Gemeente, Period: 2021, Value: 33, Status: baken.MeasurementFinal},
			{Area: Gemeente, Period: 2023, Value: 31.5, Status: baken.MeasurementProvisional},
		},
	}
}

// LoadProgramme stores Diemen's plan 2023-2026 with its priorities, the programme 2024
// with its texts, current themes, objectives and actions, the programme's indicators
// (linked to the objectives and themes they measure) and the values of the one entered
// by hand. Each part is found before it is made (the plan by title, priorities by rank,
// the programme by year, objectives by number, actions by title, indicators by code,
// values by area and year), so loading again changes nothing and a load that stopped
// half-way is completed by the next. What exists is used as it is, changed or not.
func LoadProgramme(ctx context.Context, db *store.DB) error {
	indicatorID, err := loadIndicators(ctx, db)
	if err != nil {
		return err
	}
	plan, err := loadPlan(ctx, db)
	if err != nil {
		return err
	}
	prios, err := loadPriorities(ctx, db, plan.ID)
	if err != nil {
		return err
	}
	prog, err := loadProgramme2024(ctx, db, plan.ID, indicatorID)
	if err != nil {
		return err
	}
	return loadObjectives(ctx, db, prog.ID, prios, indicatorID)
}

// loadIndicators stores the demo's indicators that are missing, and the values of the
// entered one, and returns the ids by code.
func loadIndicators(ctx context.Context, db *store.DB) (map[string]string, error) {
	inds, err := demoIndicators()
	if err != nil {
		return nil, err
	}
	stored, err := db.FindIndicators(ctx, Gemeente)
	if err != nil {
		return nil, fmt.Errorf("demo indicators: %w", err)
	}
	indicatorID := map[string]string{}
	for _, in := range stored {
		indicatorID[in.Code] = in.ID
	}
	for _, in := range inds {
		if indicatorID[in.Code] != "" {
			continue
		}
		in, err := db.CreateIndicator(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("demo indicator %s: %w", in.Code, err)
		}
		indicatorID[in.Code] = in.ID
	}
	for code, ms := range demoMeasurements() {
		stored, err := db.FindMeasurements(ctx, indicatorID[code])
		if err != nil {
			return nil, fmt.Errorf("demo values of %s: %w", code, err)
		}
		for _, m := range ms {
			if slices.ContainsFunc(stored, func(s baken.Measurement) bool { return s.Area == m.Area && s.Period == m.Period }) {
				continue
			}
			m.IndicatorID = indicatorID[code]
			if _, err := db.CreateMeasurement(ctx, m); err != nil {
				return nil, fmt.Errorf("demo value of %s for %s in %d: %w", code, m.Area, m.Period, err)
			}
		}
	}
	return indicatorID, nil
}

// loadPlan finds the demo plan by its title, or stores it.
func loadPlan(ctx context.Context, db *store.DB) (baken.Plan, error) {
	plans, err := db.FindPlans(ctx, Gemeente)
	if err != nil {
		return baken.Plan{}, fmt.Errorf("demo plan: %w", err)
	}
	for _, p := range plans {
		if p.Title == PlanTitle {
			return p, nil
		}
	}
	plan, err := db.CreatePlan(ctx, baken.Plan{Gemeente: Gemeente, Title: PlanTitle, PeriodFrom: 2023, PeriodTo: 2026,
		Vision: "Diemen bouwt verder aan een veilige gemeente. Het plan legt voor vier jaar de thema's en prioriteiten " +
			"van het veiligheidsbeleid vast; elk jaar werkt een jaarprogramma uit wat de gemeente en haar partners daarvoor doen. " +
			"Naast de drie prioriteiten vraagt het jaarprogramma 2024 aandacht voor twee actuele thema's: jeugdoverlast en " +
			"-criminaliteit, en zorg en veiligheid (onbegrepen en onveilig gedrag).\n\n" + demoNote,
		AdoptedBy: "de gemeenteraad, in 2023", Status: baken.PlanInExecution})
	if err != nil {
		return plan, fmt.Errorf("demo plan: %w", err)
	}
	return plan, nil
}

// loadPriorities stores the plan's missing priorities and returns the ids by rank.
func loadPriorities(ctx context.Context, db *store.DB, planID string) (map[int]string, error) {
	stored, err := db.FindPriorities(ctx, planID)
	if err != nil {
		return nil, fmt.Errorf("demo priorities: %w", err)
	}
	prios := map[int]string{}
	for _, p := range stored {
		prios[p.Rank] = p.ID
	}
	for _, p := range demoPriorities() {
		if prios[p.Rank] != "" {
			continue
		}
		p.PlanID = planID
		p, err := db.CreatePriority(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("demo priority %d: %w", p.Rank, err)
		}
		prios[p.Rank] = p.ID
	}
	return prios, nil
}

// loadProgramme2024 finds the plan's programme of 2024, or stores it.
func loadProgramme2024(ctx context.Context, db *store.DB, planID string, indicatorID map[string]string) (baken.Programme, error) {
	progs, err := db.FindProgrammes(ctx, Gemeente)
	if err != nil {
		return baken.Programme{}, fmt.Errorf("demo programme 2024: %w", err)
	}
	for _, p := range progs {
		if p.PlanID == planID && p.Year == 2024 {
			return p, nil
		}
	}
	decided := time.Date(2024, time.February, 6, 0, 0, 0, 0, time.UTC)
	prog, err := db.CreateProgramme(ctx, baken.Programme{PlanID: planID, Gemeente: Gemeente, Year: 2024,
		AdoptedAt: &decided, DecisionDate: &decided, Status: baken.ProgrammeAdopted, Summary: programmeSummary,
		Themes: []baken.CurrentTheme{
			{Title: themeYouthTitle, Text: themeYouthText, IndicatorIDs: []string{indicatorID[IndicatorYouthNuisance]}},
			{Title: themeCareTitle, Text: themeCareText, IndicatorIDs: []string{indicatorID[IndicatorConfused]}},
		},
		FollowUp: programmeFollowUp})
	if err != nil {
		return prog, fmt.Errorf("demo programme 2024: %w", err)
	}
	return prog, nil
}

// loadObjectives stores the programme's missing objectives (by number) and the missing
// actions (by title) of each.
func loadObjectives(ctx context.Context, db *store.DB, programmeID string, prios map[int]string, indicatorID map[string]string) error {
	stored, err := db.FindObjectives(ctx, programmeID)
	if err != nil {
		return fmt.Errorf("demo objectives: %w", err)
	}
	objectives := map[int]string{}
	for _, o := range stored {
		objectives[o.Number] = o.ID
	}
	start, end := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, time.December, 31, 0, 0, 0, 0, time.UTC)
	for i, d := range demoObjectives() {
		number := i + 1
		if objectives[number] == "" {
			o := baken.Objective{ProgrammeID: programmeID, Number: number, Title: d.title, Kind: d.kind, PriorityIDs: []string{},
				IndicatorIDs: []string{}, Baseline: d.baseline, Targets: d.targets, Direction: d.dir}
			if d.priority > 0 {
				o.PriorityIDs = []string{prios[d.priority]}
			}
			if d.indicator != "" {
				o.IndicatorIDs = []string{indicatorID[d.indicator]}
			}
			o, err := db.CreateObjective(ctx, o)
			if err != nil {
				return fmt.Errorf("demo objective %d: %w", number, err)
			}
			objectives[number] = o.ID
		}
		acts, err := db.FindActions(ctx, objectives[number])
		if err != nil {
			return fmt.Errorf("demo actions of objective %d: %w", number, err)
		}
		for _, a := range d.actions {
			if slices.ContainsFunc(acts, func(s baken.Action) bool { return s.Title == a.title }) {
				continue
			}
			if _, err := db.CreateAction(ctx, baken.Action{ObjectiveID: objectives[number], Title: a.title, OwnerTeam: a.owner,
				Partners: a.partners, PeriodFrom: &start, PeriodTo: &end, Status: a.status}); err != nil {
				return fmt.Errorf("demo action of objective %d: %w", number, err)
			}
		}
	}
	return nil
}
