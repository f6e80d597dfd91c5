package programme

import (
	"bytes"
	"context"
	"io"
	"time"

	"baken/internal/baken"
	"baken/internal/report"
	"baken/internal/store"
)

// render builds the document of kind on the programme of gemeente for year as known on
// asOf and renders it in format.
func render(ctx context.Context, db *store.DB, kind store.DocumentKind, gemeente string, year int, asOf time.Time,
	format report.Format) ([]byte, baken.Programme, error) {
	var b bytes.Buffer
	switch kind {
	case store.DocumentCouncilLetter:
		l, prog, err := buildLetter(ctx, db, gemeente, year, asOf)
		if err != nil {
			return nil, prog, err
		}
		err = report.WriteLetter(&b, l, format)
		return b.Bytes(), prog, err
	case store.DocumentProgress:
		p, prog, err := buildProgress(ctx, db, gemeente, year, asOf)
		if err != nil {
			return nil, prog, err
		}
		err = report.WriteProgress(&b, p.Progress, format)
		return b.Bytes(), prog, err
	}
	_, err := store.ParseDocumentKind(string(kind))
	return nil, baken.Programme{}, err
}

// Write writes the document of kind (the council letter or the progress report) on the
// programme of gemeente for year, with the figures as known on asOf, to w in format.
// Nothing is written when it fails. Kinds: Invalid (kind, format), NotFound, Conflict.
func Write(ctx context.Context, db *store.DB, w io.Writer, kind store.DocumentKind, gemeente string, year int, asOf time.Time,
	format report.Format) error {
	body, _, err := render(ctx, db, kind, gemeente, year, asOf, format)
	if err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}

// Issue renders the document as Write does and stores it as issued (see
// store.DB.IssueDocument): its bytes never change afterwards, and issuing the same
// document again makes a new issued document beside the first. Only a beleidsadviseur,
// a beheerder or the system issues. Kinds: Invalid, NotFound, Conflict, Forbidden.
func Issue(ctx context.Context, db *store.DB, kind store.DocumentKind, gemeente string, year int, asOf time.Time,
	format report.Format) (store.IssuedDocument, error) {
	// Refuse before rendering: a large document costs seconds to build.
	if a, ok := baken.ActorFrom(ctx); !ok || !a.MayEditProgramme() {
		return store.IssuedDocument{}, &baken.Error{Kind: baken.Forbidden, Message: "only a beleidsadviseur or beheerder issues documents"}
	}
	body, prog, err := render(ctx, db, kind, gemeente, year, asOf, format)
	if err != nil {
		return store.IssuedDocument{}, err
	}
	return db.IssueDocument(ctx, store.IssuedDocument{ProgrammeID: prog.ID, Kind: kind, Format: string(format),
		AsOf: store.DateOf(asOf), Body: body})
}
