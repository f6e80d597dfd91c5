package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"

	"baken/internal/baken"
)

// The history of a programme entity: every version an update replaced, with who
// replaced it, when, and what changed field by field (the store keeps each replaced
// version as JSON; the difference is taken between each version and the next).

type historyPage struct {
	Page
	Heading  string
	Back     string
	Edit     string // the edit form, for those who may change the entity
	Version  int
	Updated  time.Time
	By       string
	Changes  []changeView // newest first
	Created  time.Time
	Creator  string
	Unknown  bool // the store kept no history (never changed)
	Fragment string
}

// changeView is one update: from version From to To, by whom and when, and what changed.
type changeView struct {
	From, To int
	At       time.Time
	By       string
	Fields   []fieldChange
}

type fieldChange struct{ Label, Old, New string }

// historyHandler answers GET of an entity's history page.
func historyHandler[T any](w *Web, f *entityForm[T]) handler {
	return func(rw http.ResponseWriter, r *http.Request) error {
		a, err := requireActor(r)
		if err != nil {
			return err
		}
		ctx := r.Context()
		v, err := f.load(r, a)
		if err != nil {
			return err
		}
		entries, err := w.cfg.DB.ProgrammeHistory(ctx, f.entity, f.id(v))
		if err != nil {
			return err
		}
		current, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("history of %s %s: %w", f.entity, f.id(v), err)
		}
		p := historyPage{Page: w.page(r, "", "programma")}
		s, err := f.setup(ctx, p.Page, a, v)
		if err != nil {
			return err
		}
		p.Heading = p.T("programme.history.heading", p.T("programme.kind."+f.name), f.title(v))
		p.Title, p.Back = p.Heading, s.back
		if s.fragment != "" {
			p.Back += "#" + s.fragment
		}
		if a.MayEditProgramme() {
			p.Edit = f.edit(a, v)
		}
		au := f.audit(&v)
		bodies := make([][]byte, 0, len(entries)+1)
		for _, e := range entries {
			bodies = append(bodies, e.Body)
		}
		bodies = append(bodies, current)
		var first struct {
			CreatedAt time.Time `json:"created_at"`
			UpdatedBy string    `json:"updated_by"`
		}
		if err := json.Unmarshal(bodies[0], &first); err != nil {
			return fmt.Errorf("history of %s %s: %w", f.entity, f.id(v), err)
		}
		ids := []string{au.UpdatedBy, first.UpdatedBy}
		for _, e := range entries {
			ids = append(ids, e.ChangedBy)
		}
		names, err := w.cfg.DB.FindUserNames(ctx, ids)
		if err != nil {
			return fmt.Errorf("history of %s %s: %w", f.entity, f.id(v), err)
		}
		who := func(id string) string { return whoName(p.Page, a, names, id) }
		p.Version, p.Updated, p.By = au.Version, au.UpdatedAt, who(au.UpdatedBy)
		resolve, err := w.historyNames(ctx, v)
		if err != nil {
			return err
		}
		for i, e := range entries {
			c := changeView{From: e.Version, To: e.Version + 1, At: e.ChangedAt, By: who(e.ChangedBy)}
			if i+1 < len(entries) {
				c.To = entries[i+1].Version
			} else {
				c.To = au.Version
			}
			if c.Fields, err = diffVersions(p.Page, f.name, bodies[i], bodies[i+1], resolve); err != nil {
				return fmt.Errorf("history of %s %s: %w", f.entity, f.id(v), err)
			}
			p.Changes = append(p.Changes, c)
		}
		for i, j := 0, len(p.Changes)-1; i < j; i, j = i+1, j-1 {
			p.Changes[i], p.Changes[j] = p.Changes[j], p.Changes[i]
		}
		p.Created, p.Creator = first.CreatedAt, who(first.UpdatedBy)
		return w.render(rw, r, http.StatusOK, "programme_history", p)
	}
}

// whoName names the user who made a version: the actor itself, the system, a user by
// the display name the store gave (store.DB.FindUserNames: users the actor shares a
// gemeente with), or else by id.
func whoName(p Page, a baken.Actor, names map[string]string, id string) string {
	switch {
	case id == "":
		return "–"
	case id == a.UserID:
		return p.T("programme.history.you", a.Name)
	case strings.HasPrefix(id, "system:"):
		return p.T("programme.history.system", strings.TrimPrefix(id, "system:"))
	case names[id] != "":
		return names[id]
	}
	return p.T("programme.history.user", id)
}

// historyNames returns the titles of the ids a version refers to (an objective's
// priorities and indicators, a programme's indicators), so that a change shows titles
// rather than ids.
func (w *Web) historyNames(ctx context.Context, v any) (map[string]string, error) {
	names := map[string]string{}
	var prog baken.Programme
	switch x := v.(type) {
	case baken.Objective:
		p, err := w.cfg.DB.FindProgramme(ctx, x.ProgrammeID)
		if err != nil {
			return nil, err
		}
		prog = p
	case baken.Programme:
		prog = x
	default:
		return names, nil
	}
	inds, err := w.cfg.DB.FindIndicators(ctx, prog.Gemeente)
	if err != nil {
		return nil, err
	}
	for _, in := range inds {
		names[in.ID] = in.Name
	}
	prios, err := w.cfg.DB.FindPriorities(ctx, prog.PlanID)
	if err != nil {
		return nil, err
	}
	for _, pr := range prios {
		names[pr.ID] = fmt.Sprintf("%d. %s", pr.Rank, pr.Title)
	}
	return names, nil
}

// diffVersions lists the members that differ between two versions of an entity, in the
// order of the newer version's members (members only one of them has come last).
func diffVersions(p Page, kind string, older, newer []byte, names map[string]string) ([]fieldChange, error) {
	var a, b map[string]any
	if err := json.Unmarshal(older, &a); err != nil {
		return nil, fmt.Errorf("decode version: %w", err)
	}
	if err := json.Unmarshal(newer, &b); err != nil {
		return nil, fmt.Errorf("decode version: %w", err)
	}
	keys, err := memberOrder(newer)
	if err != nil {
		return nil, err
	}
	if more, err := memberOrder(older); err == nil {
		for _, k := range more {
			if _, ok := b[k]; !ok {
				keys = append(keys, k)
			}
		}
	}
	var out []fieldChange
	for _, k := range keys {
		switch k {
		case "id", "version", "created_at", "updated_at", "updated_by":
			// Bookkeeping, shown with each change rather than as one.
			continue
		}
		if reflect.DeepEqual(a[k], b[k]) {
			continue
		}
		out = append(out, fieldChange{Label: fieldLabel(p, kind, k), Old: formatMember(p, k, a[k], names), New: formatMember(p, k, b[k], names)})
	}
	return out, nil
}

// memberOrder returns the member names of a JSON object in their order.
func memberOrder(b []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("decode version: %w", err)
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("decode version: %w", err)
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, fmt.Errorf("decode version: %w", err)
		}
	}
	return keys, nil
}

// fieldLabel names a member: the entity's own label, the shared one, or the name itself.
func fieldLabel(p Page, kind, member string) string {
	for _, key := range []string{"programme.field." + kind + "." + member, "programme.field." + member} {
		if _, ok := p.w.catalogue[key]; ok {
			return p.T(key)
		}
	}
	return member
}

// formatMember writes a member's value as the page shows it.
func formatMember(p Page, member string, v any, names map[string]string) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case bool:
		if x {
			return p.T("programme.yes")
		}
		return p.T("programme.no")
	case float64:
		return p.Number(x)
	case string:
		if n, ok := names[x]; ok {
			return n
		}
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			if t.UTC().Truncate(24 * time.Hour).Equal(t) {
				return p.Day(&t)
			}
			return p.DateTime(t)
		}
		if l := p.Label(member, x); l != x || x != "" {
			return l
		}
		return "–"
	case []any:
		if len(x) == 0 {
			return "–"
		}
		parts := make([]string, len(x))
		sep := ", "
		for i, e := range x {
			if _, ok := e.(map[string]any); ok {
				sep = "; "
			}
			parts[i] = formatMember(p, member, e, names)
		}
		return strings.Join(parts, sep)
	case map[string]any:
		if title, ok := x["title"].(string); ok {
			return title // a current theme
		}
		y, okY := x["year"].(float64)
		val, okV := x["value"].(float64)
		if okY && okV && len(x) == 2 {
			return fmt.Sprintf("%d: %s", int(y), p.Number(val))
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
