package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// From their vote link, Mexico's delegate names a colleague for their days
// away: a range that ends before it starts is refused beside its field;
// the next one is recorded, audited as theirs, and the colleague is sent
// Mexico's open items.
func TestAwayFromALink(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.openRound(now.Add(7 * 24 * time.Hour))
	r := f.get("/l/" + token + "/away")
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Nomear alguém durante sua ausência", "in the holder's language")
	form := url.Values{"csrf": {f.formToken("/l/" + token + "/away")}, "email": {"colega@mx.example.org"}, "name": {"Colega"},
		"language": {"es"}, "time_zone": {"America/Mexico_City"}, "from": {"2026-03-10"}, "until": {"2026-03-09"}}
	r = f.post("/l/"+token+"/away", form)
	require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
	require.Contains(t, r.body, `id="until-error"`)
	require.Zero(t, f.count("delegation"))

	form.Set("csrf", f.formToken("/l/"+token+"/away"))
	form.Set("until", "2026-03-20")
	r = f.post("/l/"+token+"/away", form)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "colega@mx.example.org")
	require.Contains(t, r.body, `de <time datetime="2026-03-10">10 de março de 2026</time> a <time datetime="2026-03-20">20 de março de 2026</time>`,
		"the days given, in the holder's language")
	require.Equal(t, 1, f.count("delegation WHERE person = 'fp.mx@example.org' AND delegate = 'colega@mx.example.org'"))
	require.Equal(t, 1, f.count("audit_log WHERE action = 'delegation_created' AND actor = 'fp.mx@example.org'"))
	require.Equal(t, 1, f.count("email WHERE kind = 'handover' AND recipient = 'colega@mx.example.org'"))
}
