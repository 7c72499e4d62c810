package cooperation_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/cooperation/evidencetest"
)

func TestDetectEvidenceReadsTheBytesNotTheName(t *testing.T) {
	t.Parallel()
	lim := cooperation.DefaultEvidenceLimits()
	accepted := []struct {
		name string
		data []byte
		want cooperation.EvidenceType
		kept string
	}{
		{"agenda.pdf", evidencetest.PDF("agenda"), cooperation.EvidencePDF, "agenda.pdf"},
		{"informe.docx", evidencetest.DOCX(), cooperation.EvidenceDOCX, "informe.docx"},
		{"presupuesto.xlsx", evidencetest.XLSX(), cooperation.EvidenceXLSX, "presupuesto.xlsx"},
		{"acta.odt", evidencetest.ODT(), cooperation.EvidenceODT, "acta.odt"},
		{"foto.jpeg", evidencetest.JPEG(), cooperation.EvidenceJPEG, "foto.jpeg"},
		{"participantes.csv", evidencetest.CSV(), cooperation.EvidenceCSV, "participantes.csv"},
		{"nota.txt", evidencetest.TXT(), cooperation.EvidenceTXT, "nota.txt"},
		// A Word document named .zip, a table named .txt, a note with no
		// extension: the content decides.
		{"informe.zip", evidencetest.DOCX(), cooperation.EvidenceDOCX, "informe.zip.docx"},
		{"lista.txt", evidencetest.CSV(), cooperation.EvidenceCSV, "lista.csv"},
		{"ragged.csv", []byte("a,b\nc\n"), cooperation.EvidenceTXT, "ragged.txt"},
		{"tabs.txt", []byte("a\tb\nc\td\n"), cooperation.EvidenceCSV, "tabs.csv"},
		{"LEEME", evidencetest.TXT(), cooperation.EvidenceTXT, "LEEME.txt"},
	}
	for _, c := range accepted {
		f, err := cooperation.CheckFile(c.name, c.data, lim)
		require.NoError(t, err, c.name)
		require.Equal(t, c.want, f.Type, c.name)
		require.Equal(t, c.kept, f.Name, c.name)
		require.Equal(t, int64(len(c.data)), f.Size)
		require.Len(t, f.SHA256, 64)
	}

	refused := []struct {
		name string
		data []byte
		says string
	}{
		{"setup.pdf", evidencetest.EXE(), "a Windows program"},
		{"informe.docx", evidencetest.DOCM(), "an office document with macros"},
		{"hoja.ods", evidencetest.ODS(), "an OpenDocument file other than a text"},
		{"fotos.zip", evidencetest.Zip(), "a zip archive"},
		{"page.txt", evidencetest.HTML(), "text/html"},
		{"data.csv", append(evidencetest.CSV(), 0xff, 0xfe), "text not written in UTF-8"},
		{"note.txt", []byte("a bell \a rings"), "binary data"},
		{"picture.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "image/gif"},
	}
	// A picture named as a PDF would open as a PDF that is not one: the
	// person renames it or chooses the file they meant.
	_, err := cooperation.CheckFile("scan.pdf", evidencetest.PNG(), lim)
	var mismatch *cooperation.FileError
	require.True(t, errors.As(err, &mismatch))
	require.Equal(t, cooperation.ErrFileMismatch, mismatch.Key)
	require.Equal(t, cooperation.EvidencePNG, mismatch.Kind)
	require.Contains(t, err.Error(), "rename it to end in .png")

	for _, c := range refused {
		_, err := cooperation.CheckFile(c.name, c.data, lim)
		var fe *cooperation.FileError
		require.True(t, errors.As(err, &fe), c.name)
		require.Equal(t, cooperation.ErrFileType, fe.Key, c.name)
		require.Equal(t, c.name, fe.File, "the message names the file")
		require.Contains(t, fe.Detail, c.says, c.name)
		require.Contains(t, err.Error(), "PDF, DOCX, XLSX, ODT, PNG, JPEG, CSV, TXT", c.name)
	}
}

func TestCheckEvidenceLimits(t *testing.T) {
	t.Parallel()
	lim := cooperation.EvidenceLimits{FileBytes: 1000, TaskBytes: 5000}
	keyOf := func(err error) string {
		var fe *cooperation.FileError
		require.True(t, errors.As(err, &fe), "%v", err)
		return fe.Key
	}
	big := append(evidencetest.PDF(""), bytes.Repeat([]byte("x"), 1000)...)
	_, err := cooperation.CheckFile(`C:\Users\ana\big.pdf`, big, lim)
	require.Equal(t, cooperation.ErrFileTooLarge, keyOf(err))
	require.EqualError(t, err, `file "big.pdf": is larger than 1000 B, the limit per file`)
	_, err = cooperation.CheckFile("just.pdf", make([]byte, 20<<20+1), cooperation.DefaultEvidenceLimits())
	require.EqualError(t, err, `file "just.pdf": is larger than 20 MB, the limit per file`)

	_, err = cooperation.CheckFile("vacío.txt", nil, lim)
	require.Equal(t, cooperation.ErrFileEmpty, keyOf(err))

	exactly := append(evidencetest.PDF(""), bytes.Repeat([]byte("x"), 1000-len(evidencetest.PDF("")))...)
	_, err = cooperation.CheckFile("limit.pdf", exactly, lim)
	require.NoError(t, err, "a file of exactly the limit is accepted")

	names := make([]string, cooperation.MaxEvidenceFiles+1)
	data := make([][]byte, len(names))
	for i := range names {
		names[i], data[i] = "n.txt", []byte(strings.Repeat("a", i+1))
	}
	_, err = cooperation.CheckEvidence(names, data, lim)
	require.Equal(t, cooperation.ErrFilesTooMany, keyOf(err))
	files, err := cooperation.CheckEvidence(names[:3], data[:3], lim)
	require.NoError(t, err)
	require.Len(t, files, 3)

	// The same bytes twice in one version are one file.
	files, err = cooperation.CheckEvidence([]string{"a.png", "b.png"}, [][]byte{evidencetest.PNG(), evidencetest.PNG()}, lim)
	require.NoError(t, err)
	require.Len(t, files, 1)
	require.Equal(t, "a.png", files[0].Name)
}

func TestEvidenceName(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"../../etc/passwd.txt":               "passwd.pdf",
		`C:\fakepath\Informe final.pdf`:      "Informe final.pdf",
		"  many   spaces\tand\nlines .pdf":   "many spaces and lines.pdf",
		".hidden.pdf":                        "hidden.pdf",
		"a<b>c:d\"e|f?g*h.pdf":               "a_b_c_d_e_f_g_h.pdf",
		"CON.pdf":                            "_CON.pdf",
		"lpt1.report.pdf":                    "_lpt1.report.pdf",
		"evil\u202efdp.exe.pdf":              "evil_fdp.exe.pdf",
		"bad\xffbyte.pdf":                    "bad_byte.pdf",
		"...pdf":                             "pdf.pdf",
		"":                                   "file.pdf",
		"Acta de la reunión (versión 2).PDF": "Acta de la reunión (versión 2).PDF",
		strings.Repeat("é", 300) + ".pdf":    strings.Repeat("é", cooperation.MaxEvidenceName-4) + ".pdf",
	}
	for in, want := range cases {
		require.Equal(t, want, cooperation.EvidenceName(in, cooperation.EvidencePDF), "%q", in)
	}
	require.Equal(t, []string{"a.pdf", "b.pdf", "a (2).pdf", "A (3).PDF", "a (2) (2).pdf"},
		cooperation.UniqueNames([]string{"a.pdf", "b.pdf", "a.pdf", "A.PDF", "a (2).pdf"}))
	long := cooperation.EvidenceName(strings.Repeat("é", 300)+".pdf", cooperation.EvidencePDF)
	unique := cooperation.UniqueNames([]string{long, long})
	require.Equal(t, strings.Repeat("é", cooperation.MaxEvidenceName-8)+" (2).pdf", unique[1], "a numbered name stays within the limit")
}
