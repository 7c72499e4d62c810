package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/bienal/bienal/cooperation"
)

// filesField is the report form's file input.
const filesField = "files"

// multipartOverhead is room in the report form's body for the boundaries
// and headers of its parts, beyond their contents.
const multipartOverhead = 1 << 20

// reportBodyLimit bounds the report form's body: its texts and as many
// files as one task may hold.
func (s *server) reportBodyLimit() int64 {
	return s.evidence.Bounds().TaskBytes + s.maxBody + multipartOverhead
}

// reportForm reads a report form posted through a link: multipart with its
// files, as the page sends it, or URL-encoded without files, as pages
// rendered before files existed and scripts send it. It reads the
// multipart body as it streams: the form token, the page's first field,
// is checked before any file is read, and each file is read up to the
// per-file limit only. A file refused is recorded beside the file input;
// the rest of the body is still read, up to the route's limit, because a
// browser shows nothing of an answer that comes while it is still sending.
func (s *server) reportForm(w http.ResponseWriter, r *http.Request, v linkVisit) (*form, string, []cooperation.EvidenceFile, bool) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		// Texts alone: the portal's own limit, as for every other form.
		r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
		f, nonce, ok := s.linkForm(w, r, v)
		return f, nonce, nil, ok
	}
	refuse := func(status int, key string) (*form, string, []cooperation.EvidenceFile, bool) {
		s.failIn(w, r, status, key, v.lang)
		return nil, "", nil, false
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return refuse(http.StatusBadRequest, "err_form")
	}
	lim := s.evidence.Bounds()
	values := url.Values{}
	var names []string
	var data [][]byte
	var refused error
	nonce := ""
	text := s.maxBody
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return refuse(readFailure(err))
		}
		switch name := p.FormName(); {
		case name != filesField:
			b, err := io.ReadAll(io.LimitReader(p, text+1))
			if err != nil {
				return refuse(readFailure(err))
			}
			if text -= int64(len(b)); text < 0 {
				return refuse(http.StatusRequestEntityTooLarge, "err_too_large")
			}
			values.Add(name, string(b))
			if name == "csrf" && nonce == "" {
				var ok bool
				if nonce, ok = s.checkFormToken("link:"+v.token, string(b)); !ok {
					s.log.Warn("form token refused", "purpose", v.link.Purpose, "client", clientAddress(r))
					return refuse(http.StatusForbidden, "err_form")
				}
			}
		case nonce == "":
			// Files before the token: not the page's form, whose token
			// comes first; nothing is read on its word.
			s.log.Warn("form file before its token", "purpose", v.link.Purpose, "client", clientAddress(r))
			return refuse(http.StatusForbidden, "err_form")
		case p.FileName() == "" || refused != nil:
			// A file input left empty sends a part with no name; after a
			// refusal the rest is read only to be dropped (NextPart reads
			// what a part leaves).
		case len(names) == cooperation.MaxEvidenceFiles:
			refused = cooperation.TooManyFiles(p.FileName())
		default:
			b, err := io.ReadAll(io.LimitReader(p, lim.FileBytes+1))
			if err != nil {
				return refuse(readFailure(err))
			}
			if int64(len(b)) > lim.FileBytes {
				refused = cooperation.FileTooLarge(p.FileName(), lim)
				continue
			}
			names, data = append(names, p.FileName()), append(data, b)
		}
	}
	if nonce == "" {
		s.log.Warn("form token refused", "purpose", v.link.Purpose, "client", clientAddress(r))
		return refuse(http.StatusForbidden, "err_form")
	}
	r.PostForm = values
	f := &form{lang: v.lang, values: map[string]string{}, errors: map[string]string{}}
	var files []cooperation.EvidenceFile
	if refused == nil {
		files, refused = cooperation.CheckEvidence(names, data, lim)
	}
	f.refuseFile(refused)
	return f, nonce, files, true
}

// readFailure is the answer to a body that could not be read: too large,
// or not a form.
func readFailure(err error) (int, string) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, "err_too_large"
	}
	return http.StatusBadRequest, "err_form"
}

// refuseFile records a refused file beside the file input, naming it and
// saying what was wrong in the form's language; it reports whether err was
// a file's refusal.
func (f *form) refuseFile(err error) bool {
	var fe *cooperation.FileError
	if !errors.As(err, &fe) {
		return false
	}
	args := []any{fe.File, cooperation.Bytes(fe.Limit)}
	switch fe.Key {
	case cooperation.ErrFilesTooMany:
		args[1] = strconv.FormatInt(fe.Limit, 10)
	case cooperation.ErrFileMismatch:
		args = []any{fe.File, fe.Kind.Label(), fe.Kind.Ext()}
	}
	if f.errors[filesField] == "" {
		// Every message names its values by index ("%[1]s"), so one that
		// leaves a value out reads clean.
		f.errors[filesField] = fmt.Sprintf(translate(f.lang, fe.Key), args...)
	}
	return true
}
