package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"baken/internal/baken"
	"baken/internal/store"
)

// mayReadRegistrations reports whether the actor may see single registrations. A
// raadslid sees aggregates only; a role this package does not know sees nothing.
func mayReadRegistrations(a baken.Actor) bool {
	for _, r := range []baken.Role{baken.RoleSystem, baken.RoleAdmin, baken.RolePolicy, baken.RoleAnalyst, baken.RoleEnforcement} {
		if a.HasRole(r) {
			return true
		}
	}
	return false
}

// seesPersonalData reports whether the actor's work needs the personal fields of a
// registration (address, BAG id, free text). An analist works with pseudonymised data
// and a raadslid with aggregates, so neither does.
func seesPersonalData(a baken.Actor) bool {
	for _, r := range []baken.Role{baken.RoleSystem, baken.RoleAdmin, baken.RolePolicy, baken.RoleEnforcement} {
		if a.HasRole(r) {
			return true
		}
	}
	return false
}

func requireRegistrationReader(r *http.Request) (baken.Actor, error) {
	actor, err := actorOf(r)
	if err != nil {
		return actor, err
	}
	if !mayReadRegistrations(actor) {
		return actor, &baken.Error{Kind: baken.Forbidden, Message: "this role sees aggregated figures only (/api/v1/stats)"}
	}
	return actor, nil
}

// personal is a personal field: left out of the JSON when the actor may not see it
// (omitzero), null when it is empty.
type personal struct {
	shown bool
	value string
}

func (p personal) IsZero() bool { return !p.shown }

func (p personal) MarshalJSON() ([]byte, error) {
	if p.value == "" {
		return []byte("null"), nil
	}
	return json.Marshal(p.value)
}

// registrationJSON is a registration as the API shows it.
type registrationJSON struct {
	ID          string   `json:"id"`
	Gemeente    *string  `json:"gemeente"`
	Source      string   `json:"source"`
	SourceID    *string  `json:"source_id"`
	OccurredAt  string   `json:"occurred_at"`
	Precision   string   `json:"precision"`
	LocalDay    string   `json:"local_day"`
	ReportedAt  *string  `json:"reported_at"`
	Category    string   `json:"category"`
	Theme       *string  `json:"theme"`
	Field       *string  `json:"field"`
	Lon         *float64 `json:"lon"`
	Lat         *float64 `json:"lat"`
	X           *float64 `json:"x"`
	Y           *float64 `json:"y"`
	Wijk        *string  `json:"wijk"`
	Buurt       *string  `json:"buurt"`
	AreaYear    *int     `json:"area_year"`
	Outside     bool     `json:"outside"`
	Address     personal `json:"address,omitzero"`
	BAGID       personal `json:"bag_id,omitzero"`
	Description personal `json:"description,omitzero"`
	Generated   bool     `json:"generated"`
	Version     int      `json:"version"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (a *API) registrationJSON(r *baken.Registration, showPersonal bool) registrationJSON {
	theme, field := a.tree.themeAndField(r.Category)
	out := registrationJSON{
		ID:         string(r.ID),
		Gemeente:   nullable(r.Gemeente),
		Source:     r.Source,
		SourceID:   nullable(r.SourceID),
		OccurredAt: formatTime(r.OccurredAt),
		Precision:  string(r.Precision),
		LocalDay:   r.LocalDay,
		Category:   r.Category,
		Theme:      nullable(theme),
		Field:      nullable(field),
		Lon:        r.Lon,
		Lat:        r.Lat,
		X:          r.X,
		Y:          r.Y,
		Wijk:       nullable(r.Wijk),
		Buurt:      nullable(r.Buurt),
		Outside:    r.Outside,
		Generated:  r.Generated,
		Version:    r.Version,
		CreatedAt:  formatTime(r.CreatedAt),
		UpdatedAt:  formatTime(r.UpdatedAt),
	}
	if r.ReportedAt != nil {
		s := formatTime(*r.ReportedAt)
		out.ReportedAt = &s
	}
	if r.AreaYear != 0 {
		y := r.AreaYear
		out.AreaYear = &y
	}
	if showPersonal {
		out.Address = personal{shown: true, value: r.Address}
		out.BAGID = personal{shown: true, value: r.BAGID}
		out.Description = personal{shown: true, value: r.Description}
	}
	return out
}

type registrationPage struct {
	Items  []registrationJSON `json:"items"`
	Total  int                `json:"total"`
	Limit  int                `json:"limit"`
	Offset int                `json:"offset"`
}

const (
	defaultLimit = 50
	maxLimit     = 500
)

// listRegistrations answers GET /api/v1/registrations: a page of the registrations the
// actor may see, newest first.
func (a *API) listRegistrations(w http.ResponseWriter, r *http.Request) error {
	actor, err := requireRegistrationReader(r)
	if err != nil {
		return err
	}
	q := parseQuery(r, "from", "to", "category", "theme", "area", "source", "limit", "offset")
	from, to := q.period()
	cats, filtered := a.tree.categoryFilter(q, false)
	area := q.area("area")
	sources := q.list("source")
	limit := q.int("limit", defaultLimit, 1, maxLimit)
	offset := q.int("offset", 0, 0, 1<<31-1)
	if err := q.err(); err != nil {
		return err
	}
	if err := checkArea(actor, area); err != nil {
		return err
	}
	page := registrationPage{Items: []registrationJSON{}, Limit: limit, Offset: offset}
	if filtered && len(cats) == 0 {
		return writeJSON(w, http.StatusOK, contentJSON, page)
	}
	f := store.RegistrationFilter{
		From: from, To: to, Categories: cats, Sources: sources,
		Limit: limit, Offset: offset, Newest: true,
		// Registrations outside every loaded area show (to actors who may see every
		// municipality) only when no area is asked for.
		Outside: area == "",
	}
	if area != "" {
		gm, wijk, buurt, err := baken.SplitAreaCode(area)
		if err != nil {
			return err
		}
		f.Gemeenten, f.Wijk, f.Buurt = []string{gm}, wijk, buurt
	}
	regs, total, err := a.db.FindRegistrations(r.Context(), f)
	if err != nil {
		return err
	}
	show := seesPersonalData(actor)
	for i := range regs {
		page.Items = append(page.Items, a.registrationJSON(&regs[i], show))
	}
	page.Total = total
	return writeJSON(w, http.StatusOK, contentJSON, page)
}

// checkArea answers NotFound for an area of a municipality the actor may not see.
func checkArea(actor baken.Actor, area string) error {
	if area != "" && !actor.MaySee(baken.GemeenteOfCode(area)) {
		return baken.Errorf(baken.NotFound, "area", "area %s not found", area)
	}
	return nil
}

// getRegistration answers GET /api/v1/registrations/{id}. What the actor may not see is
// not found.
func (a *API) getRegistration(w http.ResponseWriter, r *http.Request) error {
	actor, err := requireRegistrationReader(r)
	if err != nil {
		return err
	}
	q := parseQuery(r)
	if err := q.err(); err != nil {
		return err
	}
	reg, err := a.db.FindRegistration(r.Context(), baken.RegistrationID(r.PathValue("id")))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, contentJSON, a.registrationJSON(&reg, seesPersonalData(actor)))
}

// location returns the path of a registration.
func location(id baken.RegistrationID) string {
	return fmt.Sprintf("%s/registrations/%s", Prefix, id)
}
