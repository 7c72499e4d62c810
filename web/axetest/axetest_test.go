package axetest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The check finds what it is there to find: a page with an image without
// words, a field without a label and no language fails it, even under a
// Content-Security-Policy that forbids scripts.
func TestCheckFindsViolations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><title>x</title></head><body><img src="/x.png"><input type="text"></body></html>`))
	}))
	defer srv.Close()
	b := New(t)
	b.Open(srv.URL, 1280, "input")
	found := map[string]bool{}
	for _, v := range b.Check() {
		found[v.ID] = true
	}
	for _, id := range []string{"image-alt", "label", "html-has-lang"} {
		if !found[id] {
			t.Errorf("axe-core did not report %s; it reported %v", id, found)
		}
	}
}
