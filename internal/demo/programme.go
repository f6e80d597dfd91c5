package demo

import (
	"context"
	"fmt"
	"time"

	"baken/internal/baken"
	"baken/internal/reference"
	"baken/internal/store"
)

// Diemen's Meerjarenbeleidsplan Integrale Veiligheid 2023-2026 and its Jaarprogramma
// 2024 as structured data. The facts (titles, years, the college decision of 6 February
// 2024, the five objectives and their partners, the youth-nuisance figures) follow
// Diemen's council letter on the Jaarprogramma 2024; the wording is Baken's own. Owner
// teams, action statuses and every figure Baken computes are demo data.

// Indicator codes of the demo programme. The store keeps indicator codes unique per
// gemeente, so the first of them also marks the programme as loaded.
const (
	IndicatorYouthNuisance = "demo-jeugdoverlast"
	IndicatorConfused      = "demo-verward-gedrag-e33"
	IndicatorHIC           = "demo-hic"
)

// PlanTitle is the title of the demo's multi-year plan.
const PlanTitle = "Meerjarenbeleidsplan Integrale Veiligheid 2023-2026: Verder bouwen aan een veilig Diemen"

// demoNote marks text whose figures come from the generated demo data.
const demoNote = "Let op: dit is de demo van Baken. Plan en jaarprogramma volgen de openbare stukken van Diemen, " +
	"maar eigenaarteams, actiestatussen en alle cijfers die Baken berekent komen uit gegenereerde demodata " +
	"(bron \"" + Source + "\"), niet uit echte meldingen of registraties."

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
	title    string
	kind     baken.ObjectiveKind
	priority int // rank of the plan's priority it serves; 0: none
	baseline *baken.YearValue
	dir      baken.Direction
	actions  []demoAction
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
		{title: "Minder High Impact Crimes in totaal", kind: baken.ObjectiveEffect, priority: 2, dir: baken.DirectionDown,
			actions: []demoAction{
				{"Cyber- en gedigitaliseerde criminaliteit: de eigen organisatie weerbaar maken en ondernemers en inwoners " +
					"voorlichten over cybercrime.", teamOOV,
					[]string{"Politie", "Platform Veilig Ondernemen"}, baken.ActionStarted},
				{"Doorgaan met de structurele aanpak van woninginbraak en andere vormen van High Impact Crime.", teamOOV,
					[]string{"Politie", "Platform Veilig Ondernemen"}, baken.ActionStarted},
			}},
		{title: "Minder jeugdoverlast", kind: baken.ObjectiveEffect, dir: baken.DirectionDown,
			baseline: &baken.YearValue{Year: 2023, Value: 98},
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
		{Gemeente: Gemeente, Code: IndicatorYouthNuisance, Name: "Registraties jeugdoverlast per jaar",
			Definition: "Aantal registraties in de categorie overlast-jeugd in de gemeente Diemen per kalenderjaar.",
			Unit:       "registraties", Source: "Baken, berekend uit registraties (demo: gegenereerd)",
			Caveat: "Politieregistraties hangen af van hoe vaak inwoners melden en hoe de politie registreert; " +
				"een daling kan ook minder melden betekenen. In de demo zijn de registraties gegenereerd.",
			Computed: true, Categories: []string{"overlast-jeugd"}, Area: Gemeente},
		{Gemeente: Gemeente, Code: IndicatorConfused, Name: "Overlast door personen met verward gedrag (E33) per jaar",
			Definition: "Aantal registraties in de categorie verward-gedrag (E33) in de gemeente Diemen per kalenderjaar; " +
				"het telt incidenten, geen personen.",
			Unit: "registraties", Source: "Baken, berekend uit registraties (demo: gegenereerd)",
			Caveat: "E33-aantallen zijn ongeschikt als prestatie-indicator voor beleid (DSP-groep, E33: meer dan een label); " +
				"gebruik ze om te signaleren, niet om beleid af te rekenen. In de demo zijn de registraties gegenereerd.",
			Computed: true, Categories: []string{"verward-gedrag"}, Area: Gemeente},
		{Gemeente: Gemeente, Code: IndicatorHIC, Name: "High Impact Crime per jaar",
			Definition: "Aantal registraties in de categorieën van de referentiegroep HIC (woninginbraak, straatroof, overval " +
				"en geweld) in de gemeente Diemen per kalenderjaar.",
			Unit: "registraties", Source: "Baken, berekend uit registraties (demo: gegenereerd)",
			Caveat:   "Registraties hangen af van aangiftebereidheid en registratiepraktijk. In de demo zijn de registraties gegenereerd.",
			Computed: true, Categories: hic, Area: Gemeente},
	}, nil
}

// LoadProgramme stores Diemen's plan 2023-2026 with its priorities, the programme 2024
// with its objectives and actions, and the programme's computed indicators. It does
// nothing when the demo programme is there already (its first indicator exists).
func LoadProgramme(ctx context.Context, db *store.DB) error {
	inds, err := demoIndicators()
	if err != nil {
		return err
	}
	// The store has no lookup of plans by gemeente; the indicator codes are unique per
	// gemeente, so creating the first one claims the load.
	for i, in := range inds {
		_, err := db.CreateIndicator(ctx, in)
		if i == 0 && baken.IsKind(err, baken.Conflict) {
			return nil
		}
		if err != nil && !baken.IsKind(err, baken.Conflict) {
			return fmt.Errorf("demo indicator %s: %w", in.Code, err)
		}
	}

	plan, err := db.CreatePlan(ctx, baken.Plan{Gemeente: Gemeente, Title: PlanTitle, PeriodFrom: 2023, PeriodTo: 2026,
		Vision: "Diemen bouwt verder aan een veilige gemeente. Het plan legt voor vier jaar de thema's en prioriteiten " +
			"van het veiligheidsbeleid vast; elk jaar werkt een jaarprogramma uit wat de gemeente en haar partners daarvoor doen. " +
			"Naast de drie prioriteiten vraagt het jaarprogramma 2024 aandacht voor twee actuele thema's: jeugdoverlast en " +
			"-criminaliteit, en zorg en veiligheid (onbegrepen en onveilig gedrag).\n\n" + demoNote,
		AdoptedBy: "gemeenteraad (2023)", Status: baken.PlanInExecution})
	if err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	prios := map[int]string{}
	for _, p := range demoPriorities() {
		p.PlanID = plan.ID
		p, err := db.CreatePriority(ctx, p)
		if err != nil {
			return fmt.Errorf("demo priority %d: %w", p.Rank, err)
		}
		prios[p.Rank] = p.ID
	}
	decided := time.Date(2024, time.February, 6, 0, 0, 0, 0, time.UTC)
	prog, err := db.CreateProgramme(ctx, baken.Programme{PlanID: plan.ID, Gemeente: Gemeente, Year: 2024,
		AdoptedAt: &decided, DecisionDate: &decided, Status: baken.ProgrammeAdopted})
	if err != nil {
		return fmt.Errorf("demo programme 2024: %w", err)
	}
	start, end := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, time.December, 31, 0, 0, 0, 0, time.UTC)
	for i, d := range demoObjectives() {
		o := baken.Objective{ProgrammeID: prog.ID, Number: i + 1, Title: d.title, Kind: d.kind, PriorityIDs: []string{},
			Baseline: d.baseline, Direction: d.dir}
		if d.priority > 0 {
			o.PriorityIDs = []string{prios[d.priority]}
		}
		o, err := db.CreateObjective(ctx, o)
		if err != nil {
			return fmt.Errorf("demo objective %d: %w", i+1, err)
		}
		for _, a := range d.actions {
			if _, err := db.CreateAction(ctx, baken.Action{ObjectiveID: o.ID, Title: a.title, OwnerTeam: a.owner,
				Partners: a.partners, PeriodFrom: &start, PeriodTo: &end, Status: a.status}); err != nil {
				return fmt.Errorf("demo action of objective %d: %w", i+1, err)
			}
		}
	}
	return nil
}
