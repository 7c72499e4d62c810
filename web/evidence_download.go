package web

import (
	"archive/zip"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/bienal/bienal/store"
)

// downloadEvidence serves one evidence file of a cycle to the secretariat.
// It is always a download, never a page: a file a focal point sent could be
// anything its bytes make a browser believe, so it is named for saving
// (Content-Disposition: attachment), typed as what its content was found
// to be and never sniffed for another type, and sandboxed should a browser
// show it anyway.
func (s *server) downloadEvidence(w http.ResponseWriter, r *http.Request) {
	biennium, name := r.PathValue("biennium"), r.PathValue("name")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	}
	f, err := s.store.GetEvidence(r.Context(), biennium, name, id)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	} else if err != nil {
		s.internal(w, r, "load evidence file", err)
		return
	}
	rc, err := s.store.OpenEvidence(r.Context(), s.evidence.BlobStore(), f)
	if err != nil {
		s.internal(w, r, "open evidence file", err)
		return
	}
	defer func() { _ = rc.Close() }()
	h := w.Header()
	h.Set("Content-Type", evidenceContentType(f))
	h.Set("Content-Disposition", attachment(f.Name))
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	noStore(w)
	if _, err := io.Copy(w, rc); err != nil {
		s.log.Warn("evidence file not sent whole", "file_id", f.ID, "error", err)
	}
}

// downloadCycleEvidence streams every file of a cycle as one ZIP laid out
// goal-N/ACTIVITY/COUNTRY/name, the layout of the report's annex. Files are
// read one at a time, each within a deadline of its own, and written as
// they are read: a cycle's archive may be far larger than memory or than
// one request's deadline allows.
func (s *server) downloadCycleEvidence(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCycle(w, r)
	if !ok {
		return
	}
	biennium, name := c.Biennium, c.Name
	files, err := s.store.CycleEvidence(r.Context(), biennium, name)
	if err != nil {
		s.internal(w, r, "list evidence files", err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", attachment("evidence-"+biennium+"-"+name+".zip"))
	noStore(w)
	zw := zip.NewWriter(w)
	for _, f := range files {
		if err := s.addToArchive(r, zw, f); err != nil {
			// The archive's directory is never written, so what arrived
			// does not open as a whole archive: no file is silently missing.
			s.log.Error("evidence archive cut short", "cycle", biennium+"/"+name, "file_id", f.ID, "error", err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		s.log.Warn("evidence archive not sent whole", "cycle", biennium+"/"+name, "error", err)
	}
}

func (s *server) addToArchive(r *http.Request, zw *zip.Writer, f store.EvidenceFile) error {
	ctx, cancel := s.freshDeadline(r)
	defer cancel()
	rc, err := s.store.OpenEvidence(ctx, s.evidence.BlobStore(), f)
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	method := zip.Deflate
	if f.Type.Compressed() {
		method = zip.Store // compressing a PDF, a picture or an office document again gains nothing
	}
	zf, err := zw.CreateHeader(&zip.FileHeader{Name: f.Path(), Method: method, Modified: f.UploadedAt})
	if err != nil {
		return err
	}
	_, err = io.Copy(zf, rc)
	return err
}

// evidenceContentType is the Content-Type a file is served with: its kind,
// and for text the encoding it was checked to be in.
func evidenceContentType(f store.EvidenceFile) string {
	if f.Type.Text() {
		return string(f.Type) + "; charset=utf-8"
	}
	return string(f.Type)
}

// attachment is a Content-Disposition that saves a file under name, in the
// form of RFC 6266 that carries any language's letters.
func attachment(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}
