package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"baken/internal/baken"
)

// The measurements of an indicator that is entered by hand (a survey figure such as the
// Veiligheidsmonitor's): a page listing them per area and year, and the forms to add one
// and to change one (a revision, or voorlopig becoming definitief). They use the
// programme's form flow (programme_form.go): per-field errors, the version check and
// the history of every change. A computed indicator has no such forms: Baken counts its
// values from the registrations.

// measurementsURL is the page of an indicator's measurements.
func measurementsURL(indicatorID string) string {
	return "/programma/indicator/" + indicatorID + "/metingen"
}

// measurementPath is a measurement's path under its indicator's page, without the action.
func measurementPath(m baken.Measurement) string {
	return "/programma/indicator/" + m.IndicatorID + "/meting/" + url.PathEscape(m.Area) + "/" + strconv.Itoa(m.Period)
}

// measurementAnchor is a measurement's id on the measurements page.
func measurementAnchor(m baken.Measurement) string {
	if m.Version == 0 {
		return ""
	}
	return "meting-" + m.Area + "-" + strconv.Itoa(m.Period)
}

// enteredIndicator finds the indicator of the path's {id} and refuses a computed one.
func (w *Web) enteredIndicator(ctx context.Context, id string) (baken.Indicator, error) {
	in, err := w.cfg.DB.FindIndicator(ctx, id)
	if err != nil {
		return in, err
	}
	if in.Computed {
		return in, baken.Errorf(baken.Invalid, "indicator", "Baken computes indicator %s from the registrations: it has no measurements to enter", in.Code)
	}
	return in, nil
}

func (w *Web) measurementForm() *entityForm[baken.Measurement] {
	return &entityForm[baken.Measurement]{
		name: "measurement", entity: "measurement",
		specs: []fieldSpec{
			{id: "gebied", kind: "text", label: "programme.field.area", hint: "programme.hint.measurement_area", err: "programme.error.measurement_area",
				json: []string{"area"}, newOnly: true},
			{id: "jaar", kind: "number", label: "programme.field.year", err: "programme.error.year", taken: "programme.error.measurement.taken",
				json: []string{"period"}, newOnly: true},
			{id: "waarde", kind: "text", label: "programme.field.value", hint: "programme.hint.decimal", err: "programme.error.value",
				json: []string{"value"}},
			{id: "status", kind: "radio", label: "programme.field.measurement.status", hint: "programme.hint.measurement_status",
				err: "programme.error.choose", json: []string{"status"},
				options: options("status", baken.MeasurementProvisional, baken.MeasurementFinal)},
		},
		encode: func(m baken.Measurement) url.Values {
			v := url.Values{"gebied": {m.Area}, "jaar": {strconv.Itoa(m.Period)}, "status": {string(m.Status)}}
			if m.Version > 0 {
				v.Set("waarde", numberValue(m.Value))
			}
			return v
		},
		decode: func(f *formReader, m *baken.Measurement) {
			// Area and year are the measurement's key: a new one takes them from the form,
			// a stored one keeps those of its path.
			if m.Version == 0 {
				m.Area, m.Period = strings.ToUpper(f.text("gebied")), f.integer("jaar")
			}
			if v := f.number("waarde"); v != nil {
				m.Value = *v
			} else if f.text("waarde") == "" {
				f.fail("waarde")
			}
			m.Status = baken.MeasurementStatus(f.text("status"))
		},
		audit: func(m *baken.Measurement) *baken.Audit { return &m.Audit },
		// The store's history names a measurement indicator/area/year.
		id:    func(m baken.Measurement) string { return m.IndicatorID + "/" + m.Area + "/" + strconv.Itoa(m.Period) },
		title: func(m baken.Measurement) string { return m.Area + ", " + strconv.Itoa(m.Period) },
		load: func(r *http.Request, _ baken.Actor) (baken.Measurement, error) {
			in, err := w.enteredIndicator(r.Context(), r.PathValue("id"))
			if err != nil {
				return baken.Measurement{}, err
			}
			ms, err := w.cfg.DB.FindMeasurements(r.Context(), in.ID)
			if err != nil {
				return baken.Measurement{}, err
			}
			area, year := strings.ToUpper(r.PathValue("gebied")), r.PathValue("jaar")
			for _, m := range ms {
				if m.Area == area && strconv.Itoa(m.Period) == year {
					return m, nil
				}
			}
			return baken.Measurement{}, baken.Errorf(baken.NotFound, "measurement", "no value of %s for %s in %s", in.Code, area, year)
		},
		update: w.cfg.DB.UpdateMeasurement,
		create: w.cfg.DB.CreateMeasurement,
		blank: func(r *http.Request, _ baken.Actor) (baken.Measurement, error) {
			in, err := w.enteredIndicator(r.Context(), r.PathValue("id"))
			return baken.Measurement{IndicatorID: in.ID, Area: in.Gemeente, Period: w.thisYear() - 1, Status: baken.MeasurementProvisional}, err
		},
		setup: func(ctx context.Context, _ Page, _ baken.Actor, m baken.Measurement) (formSetup, error) {
			in, err := w.cfg.DB.FindIndicator(ctx, m.IndicatorID)
			return formSetup{back: measurementsURL(m.IndicatorID), fragment: measurementAnchor(m), context: in.Name}, err
		},
		edit:    func(_ baken.Actor, m baken.Measurement) string { return measurementPath(m) + "/bewerken" },
		history: func(_ baken.Actor, m baken.Measurement) string { return measurementPath(m) + "/geschiedenis" },
	}
}

// measurementsPage is the page of an indicator's measurements.
type measurementsPage struct {
	Page
	Indicator baken.Indicator
	Back      string
	Rows      []measurementRow
	New       string // the form for a new measurement, for those who may add one
}

type measurementRow struct {
	baken.Measurement
	AreaName      string
	Anchor        string
	Edit, History string
}

// measurements answers GET /programma/indicator/{id}/metingen.
func (w *Web) measurements(rw http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	in, err := w.cfg.DB.FindIndicator(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := measurementsPage{Page: w.page(r, "", "programma"), Indicator: in, Back: overviewURL(a, in.Gemeente) + "#" + anchor("indicator", in.ID)}
	p.Title = p.T("programme.measurements.title", in.Name)
	savedNotice(r, &p.Page)
	ms, err := w.cfg.DB.FindMeasurements(ctx, in.ID)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, m := range ms {
		if _, ok := names[m.Area]; !ok {
			names[m.Area] = w.gemeenteName(ctx, m.Area)
		}
		row := measurementRow{Measurement: m, AreaName: names[m.Area], Anchor: measurementAnchor(m), History: measurementPath(m) + "/geschiedenis"}
		if a.MayEditProgramme() && !in.Computed {
			row.Edit = measurementPath(m) + "/bewerken"
		}
		p.Rows = append(p.Rows, row)
	}
	if a.MayEditProgramme() && !in.Computed {
		p.New = "/programma/indicator/" + in.ID + "/meting/nieuw"
	}
	return w.render(rw, r, http.StatusOK, "programme_measurements", p)
}
