package web_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// TestTaskPageNamesTheCountry fails when a focal point's task page shows
// their country's ISO code instead of its name in the page's language.
func TestTaskPageNamesTheCountry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	page := f.get("/l/" + token + "?lang=fr")
	require.Contains(t, page.body, "<dt>Pays</dt><dd>Chili</dd>")
	require.NotContains(t, page.body, "<dd>CL</dd>")
}
