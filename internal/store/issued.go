package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"time"

	"baken/internal/baken"
)

// DocumentKind is the kind of an issued document.
type DocumentKind string

const (
	DocumentCouncilLetter DocumentKind = "council-letter" // raadsinformatiebrief on a yearly programme
	DocumentProgress      DocumentKind = "progress"       // progress report on a yearly programme
)

// ParseDocumentKind accepts council-letter and progress.
func ParseDocumentKind(s string) (DocumentKind, error) {
	switch k := DocumentKind(s); k {
	case DocumentCouncilLetter, DocumentProgress:
		return k, nil
	}
	return "", baken.Errorf(baken.Invalid, "kind", "%q: want council-letter or progress", s)
}

// IssuedDocument is a council letter or progress report as it was issued: the bytes of
// one rendering, with the reference date of its figures. Issued documents are
// append-only (the database refuses changes and deletions): issuing again adds a new one.
type IssuedDocument struct {
	ID          string       `json:"id"`
	Gemeente    string       `json:"gemeente"`
	ProgrammeID string       `json:"programme_id"`
	Kind        DocumentKind `json:"kind"`
	Format      string       `json:"format"` // md, html, pdf, docx, xlsx
	// AsOf is the reference date (a calendar date, UTC midnight): the figures are what
	// was known on that day.
	AsOf     time.Time `json:"as_of"`
	IssuedAt time.Time `json:"issued_at"`
	IssuedBy string    `json:"issued_by"`
	SHA256   string    `json:"sha256"` // of Body, lower-case hex
	Size     int       `json:"size"`   // bytes of Body
	// Body is the document; FindIssuedDocuments leaves it nil.
	Body []byte `json:"-"`
}

var formatRE = regexp.MustCompile(`^[a-z]{2,5}$`)

// IssueDocument stores a rendered document of a programme as issued, with the actor as
// issuer and the transaction's time; ID, Gemeente, IssuedAt, IssuedBy, SHA256 and Size
// are set here. Only a beleidsadviseur, a beheerder or the system issues. The reference
// date may not lie after today (Europe/Amsterdam): figures of a later day are not known
// yet. Kinds: Invalid, NotFound (programme), Forbidden.
func (db *DB) IssueDocument(ctx context.Context, d IssuedDocument) (IssuedDocument, error) {
	var errs baken.FieldErrors
	if _, err := ParseDocumentKind(string(d.Kind)); err != nil {
		errs = append(errs, baken.Errorf(baken.Invalid, "kind", "%q: want council-letter or progress", d.Kind))
	}
	if !formatRE.MatchString(d.Format) {
		errs = append(errs, baken.Errorf(baken.Invalid, "format", "%q is not a document format (md, html, pdf, docx, xlsx)", d.Format))
	}
	if d.AsOf.IsZero() {
		errs = append(errs, baken.Errorf(baken.Invalid, "as_of", "required"))
	}
	if len(d.Body) == 0 {
		errs = append(errs, baken.Errorf(baken.Invalid, "body", "an issued document is not empty"))
	}
	if d.ProgrammeID == "" {
		errs = append(errs, baken.Errorf(baken.Invalid, "programme_id", "required"))
	}
	if err := errs.Err(); err != nil {
		return d, err
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return d, err
	}
	defer tx.Rollback()
	if err := requireProgrammeWriter(tx, ""); err != nil {
		return d, err
	}
	prog, err := tx.findProgramme(ctx, d.ProgrammeID)
	if err != nil {
		return d, err
	}
	asOf := DateOf(d.AsOf)
	today, err := todayIn(tx.now)
	if err != nil {
		return d, err
	}
	if asOf.After(today) {
		return d, baken.FieldErrors{baken.Errorf(baken.Invalid, "as_of", "%s is after today (%s): its figures are not known yet",
			asOf.Format(time.DateOnly), today.Format(time.DateOnly))}.Err()
	}
	if d.ID, err = newID(); err != nil {
		return d, err
	}
	sum := sha256.Sum256(d.Body)
	d.Gemeente, d.AsOf, d.IssuedAt, d.IssuedBy = prog.Gemeente, asOf, tx.now, tx.actor.UserID
	d.SHA256, d.Size = hex.EncodeToString(sum[:]), len(d.Body)
	if _, err := tx.Exec(ctx, `INSERT INTO issued_documents (gemeente, id, programme_id, kind, format, as_of, issued_at, issued_by, sha256, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.Gemeente, d.ID, d.ProgrammeID, string(d.Kind), d.Format, asOf.Format(time.DateOnly),
		tx.db.timeArg(d.IssuedAt), d.IssuedBy, d.SHA256, d.Body); err != nil {
		return d, fmt.Errorf("issue document: %w", err)
	}
	return d, tx.Commit()
}

const issuedSelect = `SELECT gemeente, id, programme_id, kind, format, as_of, issued_at, issued_by, sha256, length(body)`

func scanIssued(sc interface{ Scan(...any) error }, body *[]byte) (IssuedDocument, error) {
	var d IssuedDocument
	var asOf string
	var at Time
	dest := []any{&d.Gemeente, &d.ID, &d.ProgrammeID, &d.Kind, &d.Format, &asOf, &at, &d.IssuedBy, &d.SHA256, &d.Size}
	if body != nil {
		dest = append(dest, body)
	}
	if err := sc.Scan(dest...); err != nil {
		return d, err
	}
	d.IssuedAt = at.Time
	var err error
	if d.AsOf, err = time.Parse(time.DateOnly, asOf); err != nil {
		return d, fmt.Errorf("scan as_of: %w", err)
	}
	return d, nil
}

// FindIssuedDocuments returns the documents issued of a programme, oldest first, without
// their bodies. Any actor of the programme's gemeente may read them. Kinds: NotFound
// (programme).
func (db *DB) FindIssuedDocuments(ctx context.Context, programmeID string) ([]IssuedDocument, error) {
	return childrenOf(ctx, db, "find issued documents", issuedSelect+` FROM issued_documents WHERE gemeente = ? AND programme_id = ? ORDER BY issued_at, id`,
		func(tx *Tx) (string, string, error) {
			prog, err := tx.findProgramme(ctx, programmeID)
			return prog.Gemeente, programmeID, err
		},
		func(sc interface{ Scan(...any) error }) (IssuedDocument, error) { return scanIssued(sc, nil) },
		func(d *IssuedDocument) IssuedDocument { return *d })
}

// FindIssuedDocument returns an issued document with its body, after checking the body
// against its SHA-256. Any actor of its gemeente may read it. Kinds: NotFound, Internal
// (the body does not match its checksum).
func (db *DB) FindIssuedDocument(ctx context.Context, id string) (IssuedDocument, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return IssuedDocument{}, err
	}
	defer tx.Rollback()
	var body []byte
	d, err := scanIssued(tx.QueryRow(ctx, issuedSelect+`, body FROM issued_documents WHERE id = ?`, id), &body)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !tx.actor.MaySee(d.Gemeente)) {
		return IssuedDocument{}, baken.Errorf(baken.NotFound, "id", "no issued document %q", id)
	}
	if err != nil {
		return IssuedDocument{}, fmt.Errorf("find issued document: %w", err)
	}
	sum := sha256.Sum256(body)
	if got := hex.EncodeToString(sum[:]); got != d.SHA256 {
		return IssuedDocument{}, baken.Errorf(baken.Internal, "sha256", "issued document %s does not match its checksum (stored %s, body %s)", id, d.SHA256, got)
	}
	d.Body = body
	return d, nil
}
