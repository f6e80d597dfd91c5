package report

import (
	"testing"
	"time"
)

// Codes of the indicators in the fixtures.
const (
	codeYouth    = "JEUGD-OVERLAST"
	codeClosures = "SLUITING-13B"
	codeUnsafe   = "VM-ONVEILIG-BUURT"
)

func day(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		tb.Fatalf("parse date %q: %v", s, err)
	}
	return t
}

// diemenIndicators are the figures of the fixtures: youth nuisance as in Diemen's
// letter on the programme for 2024 (2023 still provisional), a count small enough to
// be suppressed and a survey percentage with decimals.
func diemenIndicators() []Indicator {
	return []Indicator{
		{
			Code:       codeYouth,
			Name:       "Jeugdoverlast",
			Definition: "Politieregistraties van overlast door jongeren in de gemeente, per kalenderjaar.",
			Unit:       "registraties",
			AreaName:   "gemeente Diemen",
			Source:     "Politie, registraties ‘Overlast jeugd’ (BVH)",
			Caveat:     "Een registratie is een melding, geen persoon; meer toezicht op straat kan het aantal meldingen laten stijgen.",
			Count:      true,
			Values: []Value{
				{Period: 2020, Value: 258},
				{Period: 2021, Value: 123},
				{Period: 2022, Value: 104},
				{Period: 2023, Value: 98, Provisional: true},
			},
		},
		{
			Code:       codeClosures,
			Name:       "Sluitingen op grond van artikel 13b Opiumwet",
			Definition: "Woningen en lokalen die de burgemeester heeft gesloten wegens drugshandel.",
			Unit:       "sluitingen",
			AreaName:   "gemeente Diemen",
			Source:     "Gemeente Diemen, eigen registratie van besluiten",
			Caveat:     "Kleine aantallen: een verschil van één sluiting is geen trend.",
			Count:      true,
			Values: []Value{
				{Period: 2021, Value: 0},
				{Period: 2022, Value: 3},
				{Period: 2023, Value: 7},
			},
		},
		{
			Code:       codeUnsafe,
			Name:       "Inwoners die zich weleens onveilig voelen in de eigen buurt",
			Definition: "Aandeel inwoners van 15 jaar en ouder dat zich weleens onveilig voelt in de eigen buurt.",
			Unit:       "%",
			AreaName:   "gemeente Diemen",
			Source:     "CBS, Veiligheidsmonitor (handmatig ingevoerd)",
			Caveat:     "Door de herziening van de monitor in 2021 zijn cijfers van daarvoor niet vergelijkbaar.",
			Values: []Value{
				{Period: 2021, Value: 21.8},
				{Period: 2023, Value: 24.3},
			},
		},
	}
}

// diemenLetter is the council letter on Diemen's programme for 2024: its facts come
// from the letter of 6 February 2024, its sentences do not.
func diemenLetter(tb testing.TB) Letter {
	tb.Helper()
	return Letter{
		Gemeente:      "GM0384",
		GemeenteName:  "Diemen",
		Title:         "Jaarprogramma uitvoering integrale veiligheid 2024",
		ProgrammeYear: 2024,
		PlanTitle:     "Meerjarenbeleidsplan Integrale Veiligheid ‘Verder bouwen aan een veilig Diemen’",
		PlanPeriod:    "2023-2026",
		Background: "De raad stelde in 2023 het Meerjarenbeleidsplan Integrale Veiligheid 2023-2026 vast. " +
			"Het plan legt de thema’s en prioriteiten van het veiligheidsbeleid vast.\n\n" +
			"Elk jaar werkt het college het plan uit in een jaarprogramma. Deze brief gaat over het programma voor 2024.",
		Decision: day(tb, "2024-02-06"),
		Summary: "Het college heeft het jaarprogramma voor 2024 vastgesteld; u vindt het als bijlage bij deze brief. " +
			"Hieronder staan de hoofdlijnen per prioriteit.",
		Priorities: []Section{
			{Number: 1, Title: "Verder versterken van de aanpak van ondermijnende criminaliteit",
				Text: "We bouwen de bestuurlijke aanpak van ondermijning verder uit. Daarbij richten we ons op drie sporen:\n" +
					"• informatiegestuurd werken bij woningen en bedrijventerreinen;\n" +
					"• samenwerking in de regio;\n" +
					"• beter gebruik van het bestuurlijk instrumentarium."},
			{Number: 2, Title: "Extra aandacht voor preventie ter voorkoming van High Impact Crimes",
				Text: "Woninginbraak, overvallen, straatroof en geweld raken slachtoffers hard. We zetten de in 2023 begonnen preventie voort " +
					"en stemmen voorlichting af op doelgroepen, buurten en plekken, samen met onder meer de politie en het Platform Veilig Ondernemen."},
			{Number: 3, Title: "Meer aandacht voor het voorkomen van digitale criminaliteit en -fraude",
				Text: "We voeren het plan van aanpak digitale criminaliteit uit. Het richt zich op wie het meeste risico loopt: jongeren, ouderen en het mkb."},
		},
		Themes: []Section{
			{Title: "Jeugdoverlast en -criminaliteit",
				Text: "Het aantal registraties van jeugdoverlast daalt al enkele jaren: 258 in 2020, 123 in 2021, 104 in 2022 en 98 in 2023. " +
					"Landelijk zien we wel dat jeugdcriminaliteit harder wordt, met steeds jongere verdachten. Daarom blijven we er in 2024 op inzetten, preventief en repressief."},
			{Title: "Zorg en veiligheid",
				Text: "Onbegrepen en onveilig gedrag is in 2024 een nieuwe prioriteit, omdat meldingen en politieregistraties snel toenemen. " +
					"Gemeente, politie en ggz werken samen in het Zorg- en Signalenoverleg; daarnaast pakken we overlastlocaties aan."},
		},
		Indicators: diemenIndicators(),
		FollowUp:   "Zoals met de raad is afgesproken, vragen wij het presidium het jaarprogramma 2024 te agenderen voor een informatieve raad.",
		AsOf:       day(tb, "2024-02-06"),
		Notes:      []string{"Let op: deze cijfers zijn gegenereerde demodata en geen echte registraties."},
	}
}

// diemenProgress is a progress report on the same programme: 15 actions of which 7
// are done, objectives on track, off track and not yet to be judged.
func diemenProgress(tb testing.TB) Progress {
	tb.Helper()
	return Progress{
		Gemeente:      "GM0384",
		GemeenteName:  "Diemen",
		Title:         "Voortgang jaarprogramma integrale veiligheid 2024",
		ProgrammeYear: 2024,
		AsOf:          day(tb, "2024-09-30"),
		ActionsDone:   7,
		ActionsTotal:  15,
		Indicators:    diemenIndicators(),
		Notes:         []string{"Let op: deze cijfers zijn gegenereerde demodata en geen echte registraties."},
		Objectives: []ObjectiveProgress{
			{
				Number: 1, Title: "Afname jeugdoverlast", Kind: "effect",
				Indicator: codeYouth, Unit: "registraties", Direction: "down",
				Baseline:  &YearValue{Year: 2020, Value: 258},
				Target:    &YearValue{Year: 2026, Value: 90},
				Actual:    &YearValue{Year: 2023, Value: 98, Provisional: true},
				Judgement: OnTrack,
				Reason:    "Het aantal registraties daalt sinds 2020 elk jaar en ligt dicht bij de streefwaarde.",
				Actions: []ActionProgress{
					{Title: "Jeugdboa’s op straat in de avond en nacht", OwnerTeam: "Openbare orde en veiligheid", Partners: []string{"Politie", "Jongerenwerk"}, Status: "gestart", RAG: "groen"},
					{Title: "Groepsscan van jeugdgroepen", OwnerTeam: "Openbare orde en veiligheid", Partners: []string{"Politie"}, Status: "afgerond", RAG: "groen"},
					{Title: "Spreekuur in de wijk", OwnerTeam: "Stadstoezicht", Status: "afgerond", RAG: "groen"},
					{Title: "Afspraken met scholen over signalen", OwnerTeam: "Jeugd en onderwijs", Partners: []string{"Scholen"}, Status: "uitgesteld", RAG: "oranje", Carried: true},
				},
			},
			{
				Number: 2, Title: "Signaleren en aanpakken van ondermijnende criminaliteit", Kind: "output",
				Priorities: []string{"Verder versterken van de aanpak van ondermijnende criminaliteit"},
				Indicator:  codeClosures, Unit: "sluitingen", Direction: "up",
				Baseline:  &YearValue{Year: 2022, Value: 3},
				Target:    &YearValue{Year: 2024, Value: 4},
				Actual:    &YearValue{Year: 2023, Value: 7},
				Judgement: Unknown,
				Reason:    "Het aantal sluitingen over 2024 is pas na afloop van het jaar bekend.",
				Actions: []ActionProgress{
					{Title: "Integrale controles op bedrijventerreinen", OwnerTeam: "Openbare orde en veiligheid", Partners: []string{"Politie", "Belastingdienst", "RIEC"}, Status: "afgerond", RAG: "groen"},
					{Title: "Bibob-toets bij nieuwe horecavergunningen", OwnerTeam: "Vergunningen", Status: "afgerond", RAG: "groen"},
					{Title: "Regionale aanpak mensenhandel", OwnerTeam: "Openbare orde en veiligheid", Partners: []string{"RIEC"}, Status: "gestart", RAG: "oranje"},
					{Title: "Voorlichting aan verhuurders", OwnerTeam: "Wonen", Status: "vervallen", Notes: "Opgenomen in de regionale campagne."},
				},
			},
			{
				Number: 3, Title: "Minder inwoners die zich onveilig voelen in hun buurt", Kind: "effect",
				Priorities: []string{"Extra aandacht voor preventie ter voorkoming van High Impact Crimes", "Meer aandacht voor het voorkomen van digitale criminaliteit en -fraude"},
				Indicator:  codeUnsafe, Unit: "%", Direction: "down",
				Baseline:  &YearValue{Year: 2021, Value: 21.8},
				Target:    &YearValue{Year: 2026, Value: 18},
				Actual:    &YearValue{Year: 2023, Value: 24.3},
				Judgement: OffTrack,
				Reason:    "Het aandeel is tussen 2021 en 2023 gestegen in plaats van gedaald.",
				Actions: []ActionProgress{
					{Title: "Week van de Veiligheid", OwnerTeam: "Communicatie", Partners: []string{"Politie", "Brandweer"}, Status: "gepland"},
					{Title: "Voorlichting over digitale fraude aan ouderen", OwnerTeam: "Openbare orde en veiligheid", Partners: []string{"Seniorenvereniging"}, Status: "afgerond", RAG: "groen"},
					{Title: "Cyberweerbaarheid voor het mkb", OwnerTeam: "Economie", Partners: []string{"Platform Veilig Ondernemen"}, Status: "gestart", RAG: "rood"},
					{Title: "Buurtpreventie-apps", OwnerTeam: "Openbare orde en veiligheid", Status: "afgerond", RAG: "groen"},
					{Title: "Inbraakpreventie bij nieuwbouw", OwnerTeam: "Wonen", Status: "afgerond", RAG: "groen"},
				},
			},
			{
				Number: 4, Title: "Aanpak onbegrepen en onveilig gedrag", Kind: "output",
				Judgement: Unknown,
				Actions: []ActionProgress{
					{Title: "Casussen bespreken in het Zorg- en Signalenoverleg", OwnerTeam: "Zorg en veiligheid", Partners: []string{"Politie", "GGZ"}, Status: "gestart", RAG: "groen"},
					{Title: "Aanpak van overlastlocaties", OwnerTeam: "Zorg en veiligheid", Status: "gepland"},
				},
			},
		},
	}
}
