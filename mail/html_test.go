package mail

import (
	"html"
	htmltemplate "html/template"
	"regexp"
	"strings"
	"testing"
)

var (
	mainLandmark = regexp.MustCompile(`<div role="main"`)
	heading      = regexp.MustCompile(`<h1[^>]*>([^<]*)</h1>`)
	hrefAttr     = regexp.MustCompile(`href="[^"]*"`)
	rawURL       = regexp.MustCompile(`https?://`)
)

// Every HTML message is a page a screen reader can find its way in: one
// main landmark, one first-level heading saying what it is (its subject),
// and links read as words, not as addresses that widen a phone's screen.
func TestHTMLMessagesHaveLandmarksAndLinkText(t *testing.T) {
	t.Parallel()
	all := samples()
	for _, k := range Kinds {
		for _, lang := range Languages {
			for i, data := range all[k.Name] {
				c, err := Render(k.Name, lang, withLang(data, lang))
				if err != nil {
					t.Fatalf("render %s in %s: %v", k.Name, lang, err)
				}
				where := k.Name + " in " + lang
				if n := len(mainLandmark.FindAllString(c.HTML, -1)); n != 1 {
					t.Errorf("%s (sample %d): %d main landmarks, want 1", where, i, n)
				}
				hs := heading.FindAllStringSubmatch(c.HTML, -1)
				if len(hs) != 1 || html.UnescapeString(hs[0][1]) != c.Subject {
					t.Errorf("%s (sample %d): first-level headings %q, want one saying %q", where, i, hs, c.Subject)
				}
				if !strings.Contains(c.HTML, "<title>"+htmltemplate.HTMLEscapeString(c.Subject)+"</title>") {
					t.Errorf("%s (sample %d): the document's title is not the subject", where, i)
				}
				if u := rawURL.FindString(hrefAttr.ReplaceAllString(c.HTML, "")); u != "" {
					t.Errorf("%s (sample %d): an address is shown as text, not as a link's words", where, i)
				}
			}
		}
	}
}
