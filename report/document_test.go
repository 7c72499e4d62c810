package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/report"
	"github.com/bienal/bienal/report/reporttest"
	"github.com/bienal/bienal/store/storetest"
)

// tool finds a program the document tests read documents back with; a
// machine without it fails with how to install it, as CI installs them
// (.ci/install-document-tools).
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install it with .ci/install-document-tools (apt-get install %s)", name, pkg)
	}
	return p
}

// office runs one LibreOffice at a time: two sharing a machine's two cores
// take longer than one after the other, and each gets its own profile.
var office sync.Mutex

// docxFile is a DOCX as LibreOffice reads it, and its parts as Word would.
type docxFile struct {
	text  string            // soffice --convert-to txt
	parts map[string]string // the package's parts by name
}

func readDOCX(t *testing.T, body string) docxFile {
	t.Helper()
	soffice := tool(t, "soffice", "libreoffice-writer-nogui")
	dir := t.TempDir()
	file := filepath.Join(dir, "report.docx")
	require.NoError(t, os.WriteFile(file, []byte(body), 0o600))
	office.Lock()
	out, err := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "txt:Text (encoded):UTF8", "--outdir", dir, file).CombinedOutput()
	office.Unlock()
	require.NoError(t, err, "soffice: %s", out)
	text, err := os.ReadFile(filepath.Join(dir, "report.txt"))
	require.NoError(t, err, "soffice wrote no text: %s", out)

	z, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	require.NoError(t, err)
	parts := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		parts[f.Name] = string(b)
		var x any
		require.NoError(t, xml.Unmarshal(b, &x), "%s is well-formed XML", f.Name)
	}
	return docxFile{text: strings.TrimPrefix(string(text), "\uFEFF"), parts: parts}
}

func closedReport(t *testing.T) report.Report {
	t.Helper()
	ctx := context.Background()
	s, pool := storetest.New(t)
	reporttest.Seed(t, pool)
	reporttest.SeedEvidence(t, pool)
	_, err := pool.Exec(ctx, `UPDATE reporting_cycle SET symbol = 'LC/L.4221(CCITIC.2/4)', revision = 1, revised_at = '2018-09-08T12:00:00Z',
		distribution = 'limited', original_language = 'es'`)
	require.NoError(t, err)
	require.NoError(t, s.SaveReportSnapshot(ctx, reporttest.Biennium, reporttest.Cycle))
	d, err := s.ReportDocument(ctx, reporttest.Biennium, reporttest.Cycle)
	require.NoError(t, err)
	return report.Build(d)
}

// paragraphStyles lists document.xml's paragraphs of the given styles, in
// order, with their text.
func paragraphStyles(t *testing.T, doc string, styles ...string) []string {
	t.Helper()
	var out []string
	p := regexp.MustCompile(`<w:p><w:pPr><w:pStyle w:val="([A-Za-z0-9]+)"/></w:pPr>(.*?)</w:p>`)
	text := regexp.MustCompile(`<w:t xml:space="preserve">([^<]*)</w:t>`)
	for _, m := range p.FindAllStringSubmatch(doc, -1) {
		for _, s := range styles {
			if m[1] == s {
				var b strings.Builder
				for _, tm := range text.FindAllStringSubmatch(m[2], -1) {
					b.WriteString(html.UnescapeString(tm[1]))
				}
				out = append(out, s+": "+b.String())
			}
		}
	}
	return out
}

// TestDOCX reads the Word document back with LibreOffice, and checks in its
// parts what Word's navigation pane, tables and page numbers need.
func TestDOCX(t *testing.T) {
	t.Parallel()
	r := closedReport(t)
	es := readDOCX(t, write(t, r, "es", "docx"))

	// The front matter, as ECLAC prints it, then every activity under its
	// goal, every country's input, what is missing.
	inOrder(t, es.text, "Conferencia de Ciencia, Innovación y TIC de la CEPAL", "Distr.", "LIMITADA",
		"LC/L.4221(CCITIC.2/4)/Rev.1", "8 de septiembre de 2018", "ORIGINAL: ESPAÑOL",
		"Informe bienal consolidado", "Resumen", "Actividades por estado, según objetivo", "Informes por país",
		"Objetivo 1. Strengthen innovation policies", "A1.2 · Network of science parks", "Brasil (BR) (Líder) — aceptado · después de la fecha límite",
		"Avance: Charter signed by four parks", "Versiones enviadas", "Uruguay (UY) (Participante)", "Joined the network <script>",
		"A1.10 · Regional innovation survey", "Objetivo 2.", "A2.1", "A2.2", "Objetivo 3.", "A3.1",
		"Lo que falta, por país", "Argentina (AR)", "México (MX)", "Uruguay (UY)", "Archivos de respaldo", "Carta firmada.pdf")
	require.NotContains(t, es.text, "ESPAÑOL\nESPAÑOL", "the original language is not repeated as the document's")
	require.Contains(t, es.text, "Parks | incubators\nsecond line", "a line break stays inside its paragraph")

	doc := es.parts["word/document.xml"]
	require.Equal(t, []string{"Heading1: Resumen", "Heading1: Objetivo 1. Strengthen innovation policies",
		"Heading1: Objetivo 2. Promote the digital economy", "Heading1: Objetivo 3. Build capacities",
		"Heading1: Lo que falta, por país", "Heading1: Archivos de respaldo"}, paragraphStyles(t, doc, "Heading1"))
	h2 := paragraphStyles(t, doc, "Heading2")
	require.Contains(t, h2, "Heading2: A1.2 · Network of science parks")
	require.Contains(t, h2, "Heading2: A3.1 · Training in <b>data</b> science")
	require.Contains(t, h2, "Heading2: Informes por país")
	require.Contains(t, paragraphStyles(t, doc, "Heading3"), "Heading3: Brasil (BR) (Líder) — aceptado · después de la fecha límite")
	// Heading 1 and 2 are Word's own, with their outline levels: the
	// navigation pane and a table of contents find them.
	styles := es.parts["word/styles.xml"]
	require.Regexp(t, `w:styleId="Heading1"><w:name w:val="heading 1"/>.*?<w:outlineLvl w:val="0"/>`, styles)
	require.Regexp(t, `w:styleId="Heading2"><w:name w:val="heading 2"/>.*?<w:outlineLvl w:val="1"/>`, styles)
	require.Contains(t, styles, `<w:lang w:val="es-CL"`, "the document's language")
	require.Contains(t, es.parts["docProps/core.xml"], "<dc:language>es-CL</dc:language>")
	// Real tables, each with a header row that repeats on every page.
	tables := strings.Count(doc, "<w:tbl>")
	require.Greater(t, tables, 5)
	require.Equal(t, tables-1, strings.Count(doc, "<w:tblHeader/>"), "every table but the front matter's layout has a header row")
	require.Contains(t, doc, `<w:tblCaption w:val="Informes por país"/>`)
	// Page numbers in the footer.
	require.Contains(t, es.parts["word/footer1.xml"], `<w:fldSimple w:instr=" PAGE ">`)
	require.Contains(t, es.parts["word/footer1.xml"], "LC/L.4221(CCITIC.2/4)/Rev.1")
	require.Contains(t, doc, `<w:footerReference w:type="default" r:id="rIdFooter"/>`)

	// The English one says so, and that the original is Spanish.
	en := readDOCX(t, write(t, r, "en", "docx"))
	inOrder(t, en.text, "Distr.", "LIMITED", "LC/L.4221(CCITIC.2/4)/Rev.1", "8 September 2018", "ENGLISH", "ORIGINAL: SPANISH",
		"Consolidated biennial report", "Summary", "Goal 1.", "Brazil (BR) (Lead) — accepted · after the due date", "What is missing, by country")
	require.Contains(t, en.parts["docProps/core.xml"], "<dc:language>en-GB</dc:language>")

	require.Equal(t, write(t, r, "es", "docx"), write(t, r, "es", "docx"), "the same report makes the same file")
}

// TestPDF prints the report with headless Chromium and reads it back with
// pdftotext, and checks it is tagged: its language, headings and tables
// with header cells are in its structure tree.
func TestPDF(t *testing.T) {
	t.Parallel()
	r := closedReport(t)
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	pdfinfo := tool(t, "pdfinfo", "poppler-utils")
	tool(t, "chromium", "chromium")
	for _, c := range []struct{ lang, front, heading, country string }{
		{"en", "ENGLISH", "What is missing, by country", "Brazil (BR)"},
		{"es", "ORIGINAL: ESPAÑOL", "Lo que falta, por país", "Brasil (BR)"},
	} {
		pdf := write(t, r, c.lang, "pdf")
		require.True(t, strings.HasPrefix(pdf, "%PDF-"), c.lang)
		file := filepath.Join(t.TempDir(), "report.pdf")
		require.NoError(t, os.WriteFile(file, []byte(pdf), 0o600))
		out, err := exec.Command(pdftotext, "-layout", file, "-").CombinedOutput()
		require.NoError(t, err, "%s", out)
		text := string(out)
		require.Contains(t, text, "LC/L.4221(CCITIC.2/4)/Rev.1", c.lang)
		require.Contains(t, text, c.front, c.lang)
		require.Contains(t, text, c.heading, c.lang)
		require.Contains(t, text, c.country, c.lang)
		require.Regexp(t, `(Page|Página) 2`, text, "page numbers in the footer")
		info, err := exec.Command(pdfinfo, file).CombinedOutput()
		require.NoError(t, err, "%s", info)
		require.Regexp(t, `(?m)^Tagged:\s+yes$`, string(info), c.lang)
		require.Contains(t, pdf, "/Lang ("+c.lang+")", "the language is the document's")
		for _, tag := range []string{"/StructTreeRoot", "/S /H1", "/S /H2", "/S /Table", "/S /TH", "/S /TD", "/S /Caption"} {
			require.Contains(t, pdf, tag, c.lang)
		}
	}
}
