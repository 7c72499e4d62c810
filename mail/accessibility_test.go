package mail

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bienal/bienal/web/axetest"
)

// Every kind of message, rendered as HTML in each language, passes
// axe-core's default rules with no violation, read on a laptop and on a
// phone, as a mail client that shows HTML would show it.
func TestHTMLMessagesPassAxe(t *testing.T) {
	t.Parallel()
	pages := map[string]string{}
	all := samples()
	for _, k := range Kinds {
		for _, lang := range Languages {
			data := all[k.Name]
			if len(data) == 0 {
				t.Fatalf("no sample data for kind %s", k.Name)
			}
			c, err := Render(k.Name, lang, withLang(data[0], lang))
			if err != nil {
				t.Fatalf("render %s in %s: %v", k.Name, lang, err)
			}
			pages["/"+k.Name+"/"+lang] = c.HTML
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	b := axetest.New(t)
	for _, k := range Kinds {
		for _, lang := range Languages {
			for _, width := range axetest.Widths {
				b.Open(srv.URL+"/"+k.Name+"/"+lang, width, "h1")
				b.RequireAccessible(fmt.Sprintf("%s in %s (%d px)", k.Name, lang, width))
			}
		}
	}
}
