package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// The programme file refuses an activity that starts or ends outside its
// biennium; the portal's proposal and revision forms refuse it too, beside
// the field, and a year 0000 is a date error rather than a 500.
func TestProposalDatesWithinTheBiennium(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.callLink()
	csrf := f.formToken(path)
	const outside = "This date is outside the period allowed here."
	cases := []struct{ field, value, want string }{
		{"starts_on", "2016-12-31", outside},
		{"ends_on", "2019-01-01", outside},
		{"starts_on", "0000-01-01", "This date is outside the period allowed here."},
		{"ends_on", "9999-12-31", outside},
	}
	for _, c := range cases {
		form := goodProposal(csrf)
		form.Set(c.field, c.value)
		r := f.answered(f.post(path+"/propose?lang=en", form))
		require.Contains(t, r.body, `<p class="error" id="`+c.field+`-error">`+c.want, c.value)
	}
	require.Equal(t, 1, f.count("activity"))

	_, err := f.pool.Exec(context.Background(), `UPDATE activity SET status = 'changes_requested', round = 1, version = 1 WHERE code = 'A1'`)
	require.NoError(t, err)
	token := f.link(store.PurposeRevise, store.ActivityRef("2017-2018", "A1"), "fp.cl@example.org", now.Add(240*time.Hour))
	csrf = f.formToken("/l/" + token)
	for _, c := range cases {
		form := url.Values{"csrf": {csrf}, "title": {"Digital agenda"}, "description": {"New"}, "starts_on": {"2017-01-01"}, "ends_on": {"2018-12-31"}}
		form.Set(c.field, c.value)
		r := f.answered(f.post("/l/"+token+"/revise", form))
		require.Contains(t, r.body, `<p class="error" id="`+c.field+`-error">`+c.want, c.value)
	}
	require.Empty(t, f.temporal.sent())
	r := f.answered(f.post("/l/"+token+"/revise", url.Values{"csrf": {csrf}, "title": {"Digital agenda"}, "description": {"New"},
		"starts_on": {"2017-01-01"}, "ends_on": {"2018-12-31"}}))
	require.Contains(t, r.body, `id="confirmation"`, "the biennium's first and last days are inside")
}

// A crafted post listing a participant twice, or the lead country among
// the participants, is refused beside the field instead of breaking the
// one row per country.
func TestProposalParticipantsListedOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.callLink()
	csrf := f.formToken(path)
	for _, ps := range [][]string{{"MX", "MX"}, {"CL"}, {"MX", "CL"}} {
		form := goodProposal(csrf)
		form["participants"] = ps
		r := f.answered(f.post(path+"/propose?lang=en", form))
		require.Contains(t, r.body, `<p class="error" id="participants-error">Each country may be listed once`, ps)
	}
	require.Equal(t, 1, f.count("activity"))
	require.Empty(t, f.temporal.starts())
}

// Ten focal points proposing under one goal at the same moment each get a
// code of their own: codes are chosen one after another under a lock.
func TestParallelProposalsGetDistinctCodes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	const n = 10
	var paths, csrfs []string
	for i := range n {
		country := "C" + string(rune('A'+i))
		email := "fp." + strings.ToLower(country) + "@example.org"
		for _, q := range []string{`INSERT INTO country SELECT $1::text, $1::text WHERE $2::text <> ''`,
			`INSERT INTO person (email, name, language, country) VALUES ($2, $2, 'en', $1)`,
			`INSERT INTO focal_point VALUES ('2017-2018', $1, $2)`} {
			_, err := f.pool.Exec(ctx, q, country, email)
			require.NoError(t, err)
		}
		token := f.link(store.PurposePropose, store.CallRef("2017-2018"), email, now.Add(30*24*time.Hour))
		paths = append(paths, "/l/"+token)
		csrfs = append(csrfs, f.formToken("/l/"+token))
	}
	statuses := make([]int, n)
	bodies := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			r := f.post(paths[i]+"/propose", goodProposal(csrfs[i]))
			statuses[i], bodies[i] = r.status, r.body
		})
	}
	close(start)
	wg.Wait()
	for i, st := range statuses {
		require.Equal(t, http.StatusSeeOther, st, "proposal %d: %s", i, bodies[i])
	}
	rows, err := f.pool.Query(ctx, `SELECT code FROM activity WHERE code LIKE 'G1P%' ORDER BY code`)
	require.NoError(t, err)
	var codes []string
	for rows.Next() {
		var c string
		require.NoError(t, rows.Scan(&c))
		codes = append(codes, c)
	}
	require.NoError(t, rows.Err())
	require.ElementsMatch(t, []string{"G1P1", "G1P2", "G1P3", "G1P4", "G1P5", "G1P6", "G1P7", "G1P8", "G1P9", "G1P10"}, codes)
	require.Len(t, f.temporal.starts(), n, "one workflow per proposal")
}
