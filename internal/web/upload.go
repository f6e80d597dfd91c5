package web

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/importer"
	"baken/internal/store"
)

// maxUpload is the largest file the import page accepts.
const maxUpload = 200 << 20

// previewRows is the number of data rows the preview shows.
const previewRows = 10

// uploadIDRE matches the ids rand.Text makes; anything else in a URL is not an upload.
var uploadIDRE = regexp.MustCompile(`^[A-Z2-7]{26}$`)

// profiles are the column profiles offered, in order.
var profiles = []string{"generic", "politie", "boa"}

// upload is what is kept beside an uploaded file, as NAME.json: the options chosen,
// who uploaded it and, once started, the import's batch and result. It is the only
// state of the import pages, so a restarted server still shows an import's status.
type upload struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"` // the user's file name, shown instead of the server's path
	UserID   string    `json:"user_id"`
	Size     int64     `json:"size"`
	Uploaded time.Time `json:"uploaded"`
	Source   string    `json:"source"`
	Profile  string    `json:"profile"`
	// Fields is the field of each column, as chosen on the preview ("-": ignored).
	Fields []string `json:"fields,omitempty"`
	// Category is the category of every row; "" reads it from the category column.
	Category string        `json:"category,omitempty"`
	Checked  bool          `json:"checked,omitempty"` // the dry run with these options succeeded
	Started  *time.Time    `json:"started,omitempty"`
	BatchID  string        `json:"batch_id,omitempty"`
	Result   *uploadResult `json:"result,omitempty"`
	// Finished is when the import ended (with Result); with Uploaded and Started it
	// dates the upload's last use, from which it expires (RemoveExpiredUploads).
	Finished *time.Time `json:"finished,omitempty"`
}

// uploadResult is what an import (or its check) did.
type uploadResult struct {
	Read         int      `json:"read"`
	Stored       int      `json:"stored"`
	Updated      int      `json:"updated"`
	Unchanged    int      `json:"unchanged"`
	Outside      int      `json:"outside"`
	Rejected     int      `json:"rejected"`
	ResumedAfter int      `json:"resumed_after,omitempty"`
	Problems     []string `json:"problems,omitempty"`
	RejectFile   bool     `json:"reject_file,omitempty"`
	Failed       bool     `json:"failed,omitempty"`
	Error        string   `json:"error,omitempty"` // what the user may read about a failure
}

// Valid is the number of rows that are (or would be) stored.
func (r uploadResult) Valid() int { return r.Read - r.Rejected }

// mayImport reports whether the actor may import registrations; the store says so too.
func mayImport(a baken.Actor) bool {
	for _, r := range []baken.Role{baken.RoleSystem, baken.RoleAdmin, baken.RoleAnalyst, baken.RoleEnforcement, baken.RoleEnforcer} {
		if a.HasRole(r) {
			return true
		}
	}
	return false
}

// MayImport reports whether the actor may import, to show the link.
func (p Page) MayImport() bool { return p.Actor != nil && mayImport(*p.Actor) }

// importerActor returns the signed-in actor if it may import.
func importerActor(r *http.Request) (baken.Actor, error) {
	a, err := requireActor(r)
	if err != nil {
		return a, err
	}
	if !mayImport(a) {
		return a, &baken.Error{Kind: baken.Forbidden, Field: "role"}
	}
	return a, nil
}

func (w *Web) uploadDir() (string, error) {
	dir := w.cfg.UploadDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "baken-uploads")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("upload folder: %w", err)
	}
	return dir, nil
}

// uploadFiles are the paths of an upload's files.
type uploadFiles struct{ data, meta, rejects, checkRejects, lock string }

func filesOf(dir, id string) uploadFiles {
	b := filepath.Join(dir, id)
	return uploadFiles{data: b + ".csv", meta: b + ".json", rejects: b + ".rejects.csv", checkRejects: b + ".check.csv", lock: b + ".started"}
}

// loadUpload reads an upload's record. Another user's upload is NotFound, except to a
// beheerder when readOnly.
func (w *Web) loadUpload(a baken.Actor, id string, readOnly bool) (upload, uploadFiles, error) {
	var u upload
	notFound := &baken.Error{Kind: baken.NotFound, Message: "no such upload"}
	if !uploadIDRE.MatchString(id) {
		return u, uploadFiles{}, notFound
	}
	dir, err := w.uploadDir()
	if err != nil {
		return u, uploadFiles{}, err
	}
	files := filesOf(dir, id)
	b, err := os.ReadFile(files.meta)
	if errors.Is(err, fs.ErrNotExist) {
		return u, files, notFound
	}
	if err != nil {
		return u, files, fmt.Errorf("read upload %s: %w", id, err)
	}
	if err := json.Unmarshal(b, &u); err != nil {
		return u, files, fmt.Errorf("read upload %s: %w", id, err)
	}
	if u.UserID != a.UserID && !(readOnly && a.HasRole(baken.RoleAdmin)) {
		return u, files, notFound
	}
	return u, files, nil
}

// saveUpload writes the record through a temporary file, so a reader never sees half.
func saveUpload(files uploadFiles, u upload) error {
	b, err := json.MarshalIndent(u, "", "  ")
	if err != nil {
		return fmt.Errorf("save upload: %w", err)
	}
	tmp := files.meta + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("save upload: %w", err)
	}
	if err := os.Rename(tmp, files.meta); err != nil {
		return fmt.Errorf("save upload: %w", err)
	}
	return nil
}

// userError returns what an importer error may tell the user, with the server's path
// replaced by the file's own name, or "" for an internal error.
func userError(err error, path, name string) string {
	if baken.KindOf(err) != baken.Invalid {
		return ""
	}
	return strings.ReplaceAll(err.Error(), path, name)
}

func resultOf(s importer.Summary, path, name string) uploadResult {
	r := uploadResult{Read: s.Read, Stored: s.Stored, Updated: s.Updated, Unchanged: s.Unchanged, Outside: s.Outside,
		Rejected: s.Rejected, ResumedAfter: s.ResumedAfter, RejectFile: s.RejectFile != ""}
	for _, p := range s.Problems {
		r.Problems = append(r.Problems, strings.ReplaceAll(p, path, name))
	}
	return r
}

// formErrors are the problems of a form; FieldError finds the one of a field.
type formErrors struct{ Errors []FormError }

// FieldError returns the catalogue key of the problem with a field, or "".
func (f formErrors) FieldError(field string) string {
	for _, e := range f.Errors {
		if e.Field == field {
			return e.Key
		}
	}
	return ""
}

type uploadFormPage struct {
	Page
	formErrors
	Source, Profile string
	Profiles        []string
	MaxMiB          int
	Message         string // the importer's objection to the file
}

func (w *Web) newUploadForm(r *http.Request) uploadFormPage {
	p := uploadFormPage{Page: w.page(r, "", "importeren"), Profile: "generic", Profiles: profiles, MaxMiB: maxUpload >> 20}
	p.Title = p.T("upload.title")
	return p
}

func (w *Web) uploadForm(rw http.ResponseWriter, r *http.Request) error {
	if _, err := importerActor(r); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "upload", w.newUploadForm(r))
}

// readSmallPart reads a form value of at most 1 KiB.
func readSmallPart(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<10))
	return strings.TrimSpace(string(b)), err
}

func (w *Web) uploadFile(rw http.ResponseWriter, r *http.Request) error {
	a, err := importerActor(r)
	if err != nil {
		return err
	}
	p := w.newUploadForm(r)
	fail := func(status int, field, key string) error {
		p.Errors = append(p.Errors, FormError{Field: field, Key: key})
		return w.render(rw, r, status, "upload", p)
	}
	// Refused before a byte is read when the size is announced.
	const slack = 1 << 20
	if r.ContentLength > maxUpload+slack {
		return fail(http.StatusRequestEntityTooLarge, "bestand", "upload.error.toolarge")
	}
	r.Body = http.MaxBytesReader(rw, r.Body, maxUpload+slack)
	mr, err := r.MultipartReader()
	if err != nil {
		return fail(http.StatusBadRequest, "bestand", "upload.error.nofile")
	}
	dir, err := w.uploadDir()
	if err != nil {
		return err
	}
	u := upload{ID: rand.Text(), UserID: a.UserID, Uploaded: w.cfg.Now().UTC()}
	files := filesOf(dir, u.ID)
	keep := false
	defer func() {
		if !keep {
			os.Remove(files.data)
		}
	}()
	tooLarge := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge = true
			break
		}
		if err != nil {
			return fail(http.StatusBadRequest, "bestand", "upload.error.nofile")
		}
		switch part.FormName() {
		case "bestand":
			if part.FileName() == "" || u.Name != "" {
				continue
			}
			u.Name = filepath.Base(part.FileName())
			if len(u.Name) > 200 {
				u.Name = u.Name[:200]
			}
			f, err := os.OpenFile(files.data, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err != nil {
				return fmt.Errorf("store upload: %w", err)
			}
			n, err := io.Copy(f, io.LimitReader(part, maxUpload+1))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if errors.As(err, &mbe) || n > maxUpload {
				tooLarge = true
			} else if err != nil {
				return fail(http.StatusBadRequest, "bestand", "upload.error.nofile")
			}
			u.Size = n
		case "bron":
			if u.Source, err = readSmallPart(part); err != nil {
				return fail(http.StatusBadRequest, "bron", "upload.error.source")
			}
		case "profiel":
			if u.Profile, err = readSmallPart(part); err != nil {
				return fail(http.StatusBadRequest, "profiel", "upload.error.profile")
			}
		}
		if tooLarge {
			break
		}
	}
	p.Source, p.Profile = u.Source, u.Profile
	if tooLarge {
		u.Size = 0
		return fail(http.StatusRequestEntityTooLarge, "bestand", "upload.error.toolarge")
	}
	if u.Size == 0 {
		p.Errors = append(p.Errors, FormError{Field: "bestand", Key: "upload.error.nofile"})
	}
	if u.Source == "" || len(u.Source) > 100 {
		p.Errors = append(p.Errors, FormError{Field: "bron", Key: "upload.error.source"})
	}
	if !validProfile(u.Profile) {
		p.Errors = append(p.Errors, FormError{Field: "profiel", Key: "upload.error.profile"})
	}
	if len(p.Errors) > 0 {
		return w.render(rw, r, http.StatusBadRequest, "upload", p)
	}
	if _, err := importer.Preview(files.data, u.Profile, 1); err != nil {
		if p.Message = userError(err, files.data, u.Name); p.Message == "" {
			return err
		}
		return w.render(rw, r, http.StatusBadRequest, "upload", p)
	}
	if err := saveUpload(files, u); err != nil {
		return err
	}
	keep = true
	http.Redirect(rw, r, "/importeren/"+u.ID, http.StatusSeeOther)
	return nil
}

func validProfile(s string) bool {
	for _, p := range profiles {
		if s == p {
			return true
		}
	}
	return false
}

// ColumnChoice is one column of the file with the field it is mapped to.
type ColumnChoice struct {
	Index    int
	Name     string
	Selected string
}

type previewPage struct {
	Page
	formErrors
	U         upload
	Delimiter string
	Header    []string
	Rows      [][]string
	Columns   []ColumnChoice
	Fields    []Option
	Themes    []ThemeOption
	Category  string
	Message   string
}

// fieldKey is the catalogue key of a field's name.
func fieldKey(f string) string {
	if f == string(importer.FieldIgnore) {
		return "upload.field.ignore"
	}
	return "upload.field." + f
}

func (w *Web) previewData(r *http.Request, u upload, files uploadFiles) (previewPage, error) {
	p := previewPage{Page: w.page(r, "", "importeren"), U: u, Category: u.Category}
	p.Title = p.T("upload.preview.title")
	p.Themes = w.themeOptions(p.Lang)
	for _, f := range importer.Fields() {
		p.Fields = append(p.Fields, Option{Code: string(f), Name: p.T(fieldKey(string(f)))})
	}
	pr, err := importer.Preview(files.data, u.Profile, previewRows)
	if err != nil {
		if p.Message = userError(err, files.data, u.Name); p.Message == "" {
			return p, err
		}
		return p, nil
	}
	p.Header, p.Rows = pr.Header, pr.Rows
	p.Delimiter = string(pr.Delimiter)
	for i, h := range pr.Header {
		sel := string(pr.Guess[i])
		if len(u.Fields) == len(pr.Header) {
			sel = u.Fields[i]
		}
		if sel == "" {
			sel = string(importer.FieldIgnore)
		}
		p.Columns = append(p.Columns, ColumnChoice{Index: i, Name: h, Selected: sel})
	}
	return p, nil
}

// pendingUpload loads the request's upload for a step before its import starts. Once the
// import has started, every such step redirects to the status page and reports done.
func (w *Web) pendingUpload(rw http.ResponseWriter, r *http.Request) (baken.Actor, upload, uploadFiles, bool, error) {
	a, err := importerActor(r)
	if err != nil {
		return a, upload{}, uploadFiles{}, false, err
	}
	u, files, err := w.loadUpload(a, r.PathValue("id"), false)
	if err != nil {
		return a, u, files, false, err
	}
	if u.Started != nil {
		http.Redirect(rw, r, "/importeren/"+u.ID+"/status", http.StatusSeeOther)
		return a, u, files, true, nil
	}
	return a, u, files, false, nil
}

func (w *Web) uploadPreview(rw http.ResponseWriter, r *http.Request) error {
	_, u, files, done, err := w.pendingUpload(rw, r)
	if err != nil || done {
		return err
	}
	p, err := w.previewData(r, u, files)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if p.Message != "" {
		status = http.StatusBadRequest
	}
	return w.render(rw, r, status, "upload_preview", p)
}

// importOptions turns an upload's choices into the importer's options.
func (w *Web) importOptions(u upload, header []string) (importer.Options, error) {
	cats, err := importer.NewCategorizer(w.cfg.Categories, u.Category, nil)
	if err != nil {
		return importer.Options{}, err
	}
	m := map[string]importer.Field{}
	for i, f := range u.Fields {
		if i < len(header) {
			m[header[i]] = importer.Field(f)
		}
	}
	return importer.Options{Source: u.Source, Profile: u.Profile, Map: m, Categories: cats}, nil
}

type checkPage struct {
	Page
	U       upload
	Result  uploadResult
	Message string // the importer's objection; nothing can be imported
}

func (w *Web) uploadCheck(rw http.ResponseWriter, r *http.Request) error {
	_, u, files, done, err := w.pendingUpload(rw, r)
	if err != nil || done {
		return err
	}
	r.Body = http.MaxBytesReader(rw, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return w.fail(r, baken.Invalid, "form", "upload.error.form")
	}
	p, err := w.previewData(r, u, files)
	if err != nil {
		return err
	}
	if p.Message != "" {
		return w.render(rw, r, http.StatusBadRequest, "upload_preview", p)
	}
	fields := make([]string, len(p.Header))
	used := map[importer.Field]bool{}
	for i := range p.Header {
		name := "kolom-" + strconv.Itoa(i)
		f, err := importer.ParseField(r.PostForm.Get(name))
		switch {
		case err != nil:
			p.Errors = append(p.Errors, FormError{Field: name, Key: "upload.error.field"})
		case f != importer.FieldIgnore && used[f]:
			p.Errors = append(p.Errors, FormError{Field: name, Key: "upload.error.double"})
		}
		used[f] = true
		fields[i] = string(f)
		p.Columns[i].Selected = r.PostForm.Get(name)
	}
	cat := strings.TrimSpace(r.PostForm.Get("categorie"))
	p.Category = cat
	if _, ok := w.tree.categories[cat]; cat != "" && !ok {
		p.Errors = append(p.Errors, FormError{Field: "categorie", Key: "upload.error.category"})
	}
	if len(p.Errors) > 0 {
		return w.render(rw, r, http.StatusBadRequest, "upload_preview", p)
	}
	u.Fields, u.Category, u.Checked = fields, cat, false
	opts, err := w.importOptions(u, p.Header)
	if err != nil {
		return err
	}
	opts.DryRun, opts.RejectPath = true, files.checkRejects
	sum, err := importer.New(w.cfg.DB, w.cfg.Logger).Registrations(r.Context(), files.data, opts)
	c := checkPage{Page: w.page(r, "", "importeren"), U: u, Result: resultOf(sum, files.data, u.Name)}
	c.Title = c.T("upload.check.title")
	status := http.StatusOK
	if err != nil {
		if c.Message = userError(err, files.data, u.Name); c.Message == "" {
			return err
		}
		status = http.StatusUnprocessableEntity
	} else {
		u.Checked = true
	}
	os.Remove(files.checkRejects)
	if err := saveUpload(files, u); err != nil {
		return err
	}
	c.U = u
	return w.render(rw, r, status, "upload_check", c)
}

func (w *Web) uploadStart(rw http.ResponseWriter, r *http.Request) error {
	a, u, files, done, err := w.pendingUpload(rw, r)
	if err != nil || done {
		return err
	}
	statusURL := "/importeren/" + u.ID + "/status"
	if !u.Checked {
		return w.fail(r, baken.Invalid, "controle", "upload.error.unchecked")
	}
	pr, err := importer.Preview(files.data, u.Profile, 0)
	if err != nil {
		return err
	}
	opts, err := w.importOptions(u, pr.Header)
	if err != nil {
		return err
	}
	opts.RejectPath = files.rejects
	// The lock file makes a second press of the button (or a second server) harmless.
	lock, err := os.OpenFile(files.lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		http.Redirect(rw, r, statusURL, http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return fmt.Errorf("start import: %w", err)
	}
	lock.Close()
	if err := w.startImport(a, u, files, opts); err != nil {
		return err
	}
	http.Redirect(rw, r, statusURL, http.StatusSeeOther)
	return nil
}

// startImport records the start of an upload's import and runs it in the background.
func (w *Web) startImport(a baken.Actor, u upload, files uploadFiles, opts importer.Options) error {
	now := w.cfg.Now().UTC()
	u.Started, u.BatchID, u.Result, u.Finished = &now, "", nil, nil
	if err := saveUpload(files, u); err != nil {
		return err
	}
	w.imports.add(u.ID)
	// The import outlives the request: its own context, carrying the same actor.
	ctx := baken.WithActor(context.Background(), a)
	go w.runImport(ctx, u, files, opts)
	return nil
}

// runImport imports an upload and records the result beside it.
func (w *Web) runImport(ctx context.Context, u upload, files uploadFiles, opts importer.Options) {
	defer w.imports.remove(u.ID)
	var sum importer.Summary
	var err error
	func() {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("import panicked: %v", v)
			}
		}()
		sum, err = importer.New(w.cfg.DB, w.cfg.Logger).Registrations(ctx, files.data, opts)
	}()
	res := resultOf(sum, files.data, u.Name)
	if err != nil {
		res.Failed = true
		res.Error = userError(err, files.data, u.Name)
		if res.Error == "" {
			w.cfg.Logger.Error("import", "upload", u.ID, "batch", sum.BatchID, "err", err)
		}
	}
	end := w.cfg.Now().UTC()
	u.BatchID, u.Result, u.Finished = sum.BatchID, &res, &end
	if err := saveUpload(files, u); err != nil {
		w.cfg.Logger.Error("import", "upload", u.ID, "err", err)
	}
}

type statusPage struct {
	Page
	U       upload
	Batch   *store.ImportBatch
	Running bool
	// Interrupted says that the import's process stopped before the import ended (a
	// restart): the batch was marked so (store.InterruptStaleImportBatches). The page
	// offers to resume it.
	Interrupted bool
	// MayResume says that the actor may resume it: it is the actor's own upload.
	MayResume bool
	Result    *uploadResult
}

func (w *Web) uploadStatus(rw http.ResponseWriter, r *http.Request) error {
	a, err := importerActor(r)
	if err != nil {
		return err
	}
	u, files, err := w.loadUpload(a, r.PathValue("id"), true)
	if err != nil {
		return err
	}
	if u.Started == nil {
		http.Redirect(rw, r, "/importeren/"+u.ID, http.StatusSeeOther)
		return nil
	}
	p := statusPage{Page: w.page(r, "", "importeren"), U: u, Result: u.Result}
	p.Title = p.T("upload.status.title")
	// The progress is in the store, written with every chunk.
	if p.Batch, err = w.uploadBatch(r.Context(), u, files); err != nil {
		return err
	}
	// Without a result the import is still running, or ran in a server that stopped
	// before it wrote the result: then the batch, finished a while ago, says how far it
	// came, and one marked interrupted says so at once.
	p.Running = p.Result == nil
	if b := p.Batch; p.Running && b != nil {
		switch {
		case interruptedAttempt(u, *b):
			p.Running, p.Interrupted = false, true
			p.MayResume = u.UserID == a.UserID
		case b.Status == "interrupted":
			// An earlier attempt's batch: this one has not recorded its own yet.
			p.Batch = nil
		case b.Status != "running" && b.FinishedAt.Valid && w.cfg.Now().Sub(b.FinishedAt.Time) > time.Minute:
			p.Running = false
		}
	}
	return w.render(rw, r, http.StatusOK, "upload_status", p)
}

// uploadBatch returns the batch of an upload's latest import, or nil when it has none
// (yet). Until the import ends, the batch is known by the upload's file name only.
func (w *Web) uploadBatch(ctx context.Context, u upload, files uploadFiles) (*store.ImportBatch, error) {
	if u.BatchID != "" {
		b, err := w.cfg.DB.FindImportBatch(ctx, u.BatchID)
		if baken.IsKind(err, baken.NotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &b, nil
	}
	name := filepath.Base(files.data)
	bs, _, err := w.cfg.DB.FindImportBatches(ctx, store.ImportBatchFilter{FileName: &name, Limit: 1})
	if err != nil || len(bs) == 0 {
		return nil, err
	}
	return &bs[0], nil
}

// interruptedAttempt reports whether b is the interrupted batch of u's latest attempt,
// not of an earlier attempt that was interrupted and then resumed: that one was marked
// before the resumed attempt started.
func interruptedAttempt(u upload, b store.ImportBatch) bool {
	return b.Status == "interrupted" && u.Started != nil && b.FinishedAt.Valid && !b.FinishedAt.Time.Before(*u.Started)
}

// uploadResume starts the import of an upload again after it was interrupted: the
// importer resumes after the last line the interrupted run committed. Only the uploader
// may, and only while the upload's latest attempt is interrupted.
func (w *Web) uploadResume(rw http.ResponseWriter, r *http.Request) error {
	a, err := importerActor(r)
	if err != nil {
		return err
	}
	u, files, err := w.loadUpload(a, r.PathValue("id"), false)
	if err != nil {
		return err
	}
	statusURL := "/importeren/" + u.ID + "/status"
	b, err := w.uploadBatch(r.Context(), u, files)
	if err != nil {
		return err
	}
	if u.Result != nil || b == nil || !interruptedAttempt(u, *b) {
		// Not (or no longer) interrupted: a second press, or another server was first.
		http.Redirect(rw, r, statusURL, http.StatusSeeOther)
		return nil
	}
	pr, err := importer.Preview(files.data, u.Profile, 0)
	if err != nil {
		return err
	}
	opts, err := w.importOptions(u, pr.Header)
	if err != nil {
		return err
	}
	opts.RejectPath = files.rejects
	// One resumption per interrupted batch, however often the button is pressed.
	lock, err := os.OpenFile(files.lock+"-"+b.ID, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		http.Redirect(rw, r, statusURL, http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return fmt.Errorf("resume import: %w", err)
	}
	lock.Close()
	if err := w.startImport(a, u, files, opts); err != nil {
		return err
	}
	http.Redirect(rw, r, statusURL, http.StatusSeeOther)
	return nil
}

func (w *Web) uploadRejects(rw http.ResponseWriter, r *http.Request) error {
	a, err := importerActor(r)
	if err != nil {
		return err
	}
	u, files, err := w.loadUpload(a, r.PathValue("id"), true)
	if err != nil {
		return err
	}
	if u.Result == nil || !u.Result.RejectFile {
		return &baken.Error{Kind: baken.NotFound, Message: "no reject file"}
	}
	f, err := os.Open(files.rejects)
	if errors.Is(err, fs.ErrNotExist) {
		return &baken.Error{Kind: baken.NotFound, Message: "no reject file"}
	}
	if err != nil {
		return fmt.Errorf("reject file: %w", err)
	}
	defer f.Close()
	// The rejected rows carry the file's original columns, personal data included: the
	// download is logged like an export, before it is sent.
	gm := ""
	if len(a.Gemeenten) > 0 {
		gm = a.Gemeenten[0]
	}
	if err := w.cfg.DB.LogAccess(r.Context(), store.AccessEntry{Gemeente: gm, Action: store.AccessExport, ObjectType: "rejects",
		ObjectID: r.PathValue("id"), Purpose: "afgekeurde rijen van een import", Detail: u.Name}); err != nil {
		return err
	}
	name := strings.TrimSuffix(u.Name, filepath.Ext(u.Name)) + "-afgekeurd.csv"
	h := rw.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if _, err := io.Copy(rw, f); err != nil {
		w.cfg.Logger.Error("reject file", "path", r.URL.Path, "err", err)
	}
	return nil
}
