package cooperation

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// EvidenceType is a kind of file a focal point may attach to a report: the
// documents, spreadsheets, pictures and tables that back a narrative (an
// agenda, a list of participants, a publication, a photograph).
type EvidenceType string

// The accepted kinds, named by their media type.
const (
	EvidencePDF  EvidenceType = "application/pdf"
	EvidenceDOCX EvidenceType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	EvidenceXLSX EvidenceType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	EvidenceODT  EvidenceType = "application/vnd.oasis.opendocument.text"
	EvidencePNG  EvidenceType = "image/png"
	EvidenceJPEG EvidenceType = "image/jpeg"
	EvidenceCSV  EvidenceType = "text/csv"
	EvidenceTXT  EvidenceType = "text/plain"
)

// EvidenceTypes lists the accepted kinds in the order people read them.
var EvidenceTypes = []EvidenceType{EvidencePDF, EvidenceDOCX, EvidenceXLSX, EvidenceODT,
	EvidencePNG, EvidenceJPEG, EvidenceCSV, EvidenceTXT}

var evidenceKinds = map[EvidenceType]struct {
	label string
	exts  []string // the first is the one a stored name gets
}{
	EvidencePDF:  {"PDF", []string{".pdf"}},
	EvidenceDOCX: {"DOCX", []string{".docx"}},
	EvidenceXLSX: {"XLSX", []string{".xlsx"}},
	EvidenceODT:  {"ODT", []string{".odt"}},
	EvidencePNG:  {"PNG", []string{".png"}},
	EvidenceJPEG: {"JPEG", []string{".jpg", ".jpeg", ".jpe"}},
	EvidenceCSV:  {"CSV", []string{".csv"}},
	EvidenceTXT:  {"TXT", []string{".txt", ".text"}},
}

// Label is the short name people know the kind by: PDF, DOCX, ...
func (t EvidenceType) Label() string {
	if k, ok := evidenceKinds[t]; ok {
		return k.label
	}
	return string(t)
}

// Ext is the extension a stored file of this kind carries.
func (t EvidenceType) Ext() string { return evidenceKinds[t].exts[0] }

// Text tells whether the kind is UTF-8 text (CSV, TXT), as it was checked to be.
func (t EvidenceType) Text() bool { return t == EvidenceCSV || t == EvidenceTXT }

// Compressed tells whether the kind is already compressed (a picture, a PDF,
// an office document, which is a zip), so that an archive stores it as is.
func (t EvidenceType) Compressed() bool { return !t.Text() }

// EvidenceLabels is the list of accepted kinds as a sentence part: "PDF,
// DOCX, ..., TXT".
func EvidenceLabels() string {
	labels := make([]string, len(EvidenceTypes))
	for i, t := range EvidenceTypes {
		labels[i] = t.Label()
	}
	return strings.Join(labels, ", ")
}

// Default bounds of evidence files; config sets the byte limits of a
// deployment.
const (
	DefaultEvidenceFileBytes = 20 << 20
	DefaultEvidenceTaskBytes = 100 << 20
	// MaxEvidenceFiles bounds the files of one version of a report: more
	// is most likely a whole folder chosen by mistake, and the portal holds
	// every file of a form in memory until it is stored.
	MaxEvidenceFiles = 20
	// MaxEvidenceName bounds a stored file name, in characters.
	MaxEvidenceName = 120
)

// EvidenceLimits bound what a task's evidence may weigh.
type EvidenceLimits struct {
	FileBytes int64 // one file
	TaskBytes int64 // every distinct file of one task, all versions together
}

// DefaultEvidenceLimits are the limits of a deployment that sets none.
func DefaultEvidenceLimits() EvidenceLimits {
	return EvidenceLimits{FileBytes: DefaultEvidenceFileBytes, TaskBytes: DefaultEvidenceTaskBytes}
}

// Translation keys of the refusals of a file. Each message names the file;
// the portal shows it beside the file input, the command line prints Detail.
const (
	ErrFileType     = "err_file_type"      // not one of EvidenceTypes, judged from the content
	ErrFileEmpty    = "err_file_empty"     // no bytes at all
	ErrFileTooLarge = "err_file_too_large" // over EvidenceLimits.FileBytes
	ErrFilesTooMany = "err_files_too_many" // over MaxEvidenceFiles in one version
	ErrTaskTooLarge = "err_task_too_large" // the task's files would pass EvidenceLimits.TaskBytes
	ErrFileMismatch = "err_file_mismatch"  // named as one accepted kind, holding another
)

// FileError says what is wrong with one attached file. Nothing of a
// submission with a refused file is stored.
type FileError struct {
	File  string // the name the person gave it, made safe to show
	Key   string // one of the ErrFile* translation keys
	Limit int64  // for ErrFileTooLarge and ErrTaskTooLarge: bytes; for ErrFilesTooMany: files
	// Kind is, for ErrFileMismatch, what the content is.
	Kind EvidenceType
	// Detail is the message in English, for logs and the CLI.
	Detail string
}

func (e *FileError) Error() string { return fmt.Sprintf("file %q: %s", e.File, e.Detail) }

// FileTooLarge refuses a file over the per-file limit. It needs no size: a
// front door stops reading a file once it passes the limit.
func FileTooLarge(name string, lim EvidenceLimits) *FileError {
	return &FileError{File: shownName(name), Key: ErrFileTooLarge, Limit: lim.FileBytes,
		Detail: fmt.Sprintf("is larger than %s, the limit per file", Bytes(lim.FileBytes))}
}

// TooManyFiles refuses the file after the last one a version may carry.
func TooManyFiles(name string) *FileError {
	return &FileError{File: shownName(name), Key: ErrFilesTooMany, Limit: MaxEvidenceFiles,
		Detail: fmt.Sprintf("one report takes at most %d files", MaxEvidenceFiles)}
}

// EvidenceFile is a file checked and ready to store: its name made safe,
// its kind read from its bytes.
type EvidenceFile struct {
	Name   string
	Type   EvidenceType
	Size   int64
	SHA256 string // hex
	Data   []byte
}

// CheckEvidence checks the files of one version of a report, in the order
// they were given, and returns them ready to store, or the first refusal.
// The same content given twice is kept once.
func CheckEvidence(names []string, data [][]byte, lim EvidenceLimits) ([]EvidenceFile, error) {
	var out []EvidenceFile
	seen := map[string]bool{}
	for i, name := range names {
		if i >= MaxEvidenceFiles {
			return nil, TooManyFiles(name)
		}
		f, err := CheckFile(name, data[i], lim)
		if err != nil {
			return nil, err
		}
		if seen[f.SHA256] {
			continue
		}
		seen[f.SHA256] = true
		out = append(out, f)
	}
	return out, nil
}

// CheckFile checks one file: not empty, within the per-file limit, of an
// accepted kind judged from its bytes alone. A name says nothing about what
// a file holds, so a program renamed .pdf is refused, and so is a picture
// named .pdf: whoever reads the report would open a "PDF" that is not one,
// so the person is asked to rename it or choose the file they meant. Text
// is text: a table named .txt is kept, named .csv. A name with no
// extension, or one of no accepted kind, gets its kind's.
func CheckFile(name string, data []byte, lim EvidenceLimits) (EvidenceFile, error) {
	shown := shownName(name)
	switch {
	case len(data) == 0:
		return EvidenceFile{}, &FileError{File: shown, Key: ErrFileEmpty, Detail: "is empty"}
	case int64(len(data)) > lim.FileBytes:
		return EvidenceFile{}, FileTooLarge(name, lim)
	}
	t, seen := DetectEvidence(data)
	if t == "" {
		return EvidenceFile{}, &FileError{File: shown, Key: ErrFileType,
			Detail: fmt.Sprintf("holds %s, which is not one of the accepted kinds (%s)", seen, EvidenceLabels())}
	}
	if named := kindOf(strings.ToLower(path.Ext(name))); named != "" && named != t && (!named.Text() || !t.Text()) {
		return EvidenceFile{}, &FileError{File: shown, Key: ErrFileMismatch, Kind: t,
			Detail: fmt.Sprintf("holds a %s file, not the %s its name says: rename it to end in %s, or choose the file meant",
				t.Label(), named.Label(), t.Ext())}
	}
	sum := sha256.Sum256(data)
	return EvidenceFile{Name: EvidenceName(name, t), Type: t, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Data: data}, nil
}

// DetectEvidence reads the kind of a file from its bytes. It returns "" for
// a kind not accepted, with what the content looks like, for the message.
func DetectEvidence(data []byte) (EvidenceType, string) {
	sniffed := http.DetectContentType(data)
	media, params, _ := strings.Cut(sniffed, ";")
	switch media {
	case "application/pdf":
		return EvidencePDF, ""
	case "image/png":
		return EvidencePNG, ""
	case "image/jpeg":
		return EvidenceJPEG, ""
	case "application/zip":
		if t, what := officeDocument(data); t != "" {
			return t, ""
		} else if what != "" {
			return "", what
		}
		return "", "a zip archive"
	case "text/plain":
		// DetectContentType says text/plain for any first 512 bytes free of
		// binary bytes; the whole file must be UTF-8 text for a reader to
		// open it as such.
		if !strings.Contains(params, "utf-8") || !utf8.Valid(data) {
			return "", "text not written in UTF-8"
		}
		if !isText(data) {
			return "", "binary data"
		}
		if isTable(data) {
			return EvidenceCSV, ""
		}
		return EvidenceTXT, ""
	case "application/octet-stream":
		if bytes.HasPrefix(data, []byte("MZ")) {
			return "", "a Windows program"
		}
		if bytes.HasPrefix(data, []byte("\x7fELF")) {
			return "", "a program"
		}
		return "", "binary data"
	}
	return "", media
}

// officeDocument tells the office document a zip is: an OOXML document
// names its parts under word/ or xl/ beside [Content_Types].xml, and an
// OpenDocument text starts with a stored entry "mimetype" that says so.
// Only the archive's directory and that one small entry are read, so an
// archive that would inflate to gigabytes costs nothing here.
func officeDocument(data []byte) (EvidenceType, string) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) == 0 {
		return "", "a damaged zip archive"
	}
	var types, word, xl, macros bool
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			types = true
		case strings.HasPrefix(f.Name, "word/"):
			word = true
		case strings.HasPrefix(f.Name, "xl/"):
			xl = true
		}
		// A vbaProject part is what makes a .docm or .xlsm: code that runs
		// when the document opens, whatever the name says.
		macros = macros || strings.EqualFold(path.Base(f.Name), "vbaProject.bin")
	}
	switch {
	case types && macros:
		return "", "an office document with macros"
	case types && word && !xl:
		return EvidenceDOCX, ""
	case types && xl && !word:
		return EvidenceXLSX, ""
	}
	if first := zr.File[0]; first.Name == "mimetype" && first.Method == zip.Store {
		rc, err := first.Open()
		if err != nil {
			return "", "a damaged zip archive"
		}
		b, err := io.ReadAll(io.LimitReader(rc, 128))
		_ = rc.Close()
		if err == nil && string(b) == string(EvidenceODT) {
			return EvidenceODT, ""
		}
		if err == nil && strings.HasPrefix(string(b), "application/vnd.oasis.opendocument.") {
			return "", "an OpenDocument file other than a text"
		}
	}
	return "", ""
}

// isText tells whether UTF-8 data is text a reader shows as it is (a
// byte-order mark allowed), with no control character but tab, line feed,
// carriage return and form feed.
func isText(data []byte) bool {
	for _, r := range string(bytes.TrimPrefix(data, []byte("\uFEFF"))) {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f') || (r >= 0x7f && r <= 0x9f) {
			return false
		}
	}
	return true
}

// isTable tells whether text is a table a spreadsheet opens: at least two
// rows of the same two or more cells, split on commas, semicolons (the
// separator of spreadsheets in Spanish, Portuguese and French) or tabs.
func isTable(data []byte) bool {
	for _, sep := range []rune{',', ';', '\t'} {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
		r.Comma, r.ReuseRecord = sep, true // row by row: a 20 MB table is never held as cells
		rows, cells := 0, 0
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rows = 0
				break
			}
			rows, cells = rows+1, len(rec)
		}
		if rows >= 2 && cells >= 2 {
			return true
		}
	}
	return false
}

// EvidenceName makes a file name safe to store, to show and to write into a
// folder on any system: the last part of a path only, no control or
// reserved characters, not hidden, not a device name of Windows, at most
// MaxEvidenceName characters, and ending with the extension of its kind (an
// extension of another accepted kind is replaced, so that the file opens
// in the program its content needs).
func EvidenceName(name string, t EvidenceType) string {
	name = strings.ToValidUTF8(name, "_")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || strings.ContainsRune(`<>:"|?*`, r) || r == utf8.RuneError ||
			unicode.Is(unicode.Cf, r): // format characters such as U+202E flip how a name reads
			r = '_'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	name = strings.Trim(b.String(), ". ")
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if !accepted(t, strings.ToLower(ext)) {
		if otherKind(strings.ToLower(ext)) {
			ext = t.Ext()
		} else {
			base, ext = name, t.Ext()
		}
	}
	base = strings.TrimRight(base, ". ")
	if base == "" {
		base = "file"
	} else if reservedName(base) {
		base = "_" + base
	}
	if n := MaxEvidenceName - utf8.RuneCountInString(ext); utf8.RuneCountInString(base) > n {
		base = strings.TrimRight(string([]rune(base)[:n]), ". ")
	}
	return base + ext
}

func accepted(t EvidenceType, ext string) bool {
	for _, e := range evidenceKinds[t].exts {
		if e == ext {
			return true
		}
	}
	return false
}

// kindOf is the accepted kind an extension names, or "".
func kindOf(ext string) EvidenceType {
	for _, t := range EvidenceTypes {
		if accepted(t, ext) {
			return t
		}
	}
	return ""
}

func otherKind(ext string) bool {
	for _, t := range EvidenceTypes {
		if accepted(t, ext) {
			return true
		}
	}
	return false
}

// reservedName tells a name Windows keeps for a device whatever its
// extension: a folder written by the ZIP or `bienal task files` could not
// hold it there.
func reservedName(base string) bool {
	stem, _, _ := strings.Cut(strings.ToUpper(base), ".")
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) && stem[3] >= '1' && stem[3] <= '9'
}

// shownName is a name as a message may quote it.
func shownName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name = Excerpt(name, MaxEvidenceName); name == "" {
		return "(no name)"
	}
	return name
}

// UniqueNames gives each name of one folder its own: a second "agenda.pdf"
// becomes "agenda (2).pdf", in the order given, the name shortened where
// the number would take it past MaxEvidenceName. Names differing only in
// case count as one, as they do in a folder on Windows or macOS.
func UniqueNames(names []string) []string {
	out := make([]string, len(names))
	taken := map[string]bool{}
	for i, n := range names {
		ext := path.Ext(n)
		base := []rune(strings.TrimSuffix(n, ext))
		candidate := n
		for k := 2; taken[strings.ToLower(candidate)]; k++ {
			suffix := fmt.Sprintf(" (%d)%s", k, ext)
			keep := min(len(base), MaxEvidenceName-utf8.RuneCountInString(suffix))
			candidate = string(base[:keep]) + suffix
		}
		taken[strings.ToLower(candidate)] = true
		out[i] = candidate
	}
	return out
}

// Over writes a size that passes limit, in bytes where Bytes would round it
// to the limit itself ("20 MB, over the limit of 20 MB").
func Over(n, limit int64) string {
	if Bytes(n) == Bytes(limit) {
		return fmt.Sprintf("%d bytes", n)
	}
	return Bytes(n)
}

// Bytes writes a size the way people read it: 512 B, 2.5 KB, 14 KB,
// 3.2 MB, 20 MB (in units of 1024, as the limits are set).
func Bytes(n int64) string {
	if n < 1<<10 {
		return fmt.Sprintf("%d B", n)
	}
	unit, div := "KB", float64(1<<10)
	if n >= 1<<20 {
		unit, div = "MB", 1<<20
	}
	v := float64(n) / div
	if v < 10 {
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + " " + unit
	}
	return fmt.Sprintf("%.0f %s", v, unit)
}
