package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

var (
	tableRe   = regexp.MustCompile(`(?s)<table[^>]*>.*?</table>`)
	headRe    = regexp.MustCompile(`(?s)<thead>.*?</thead>`)
	colRe     = regexp.MustCompile(`(?s)<th scope="col"[^>]*>(.*?)</th>`)
	bodyRe    = regexp.MustCompile(`(?s)<tbody>.*?</tbody>`)
	rowRe     = regexp.MustCompile(`(?s)<tr[ >].*?</tr>`)
	cellRe    = regexp.MustCompile(`<t([hd])([^>]*)>`)
	labelRe   = regexp.MustCompile(`data-label="([^"]*)"`)
	stripTags = regexp.MustCompile(`<[^>]+>`)
)

// requireLabelledCells checks every table of a page as a phone shows it,
// rows stacked: each data cell must carry, in data-label, the name of its
// column as the header says it (a cell spanning the row, "none", is the
// only one that needs none). It returns how many cells it checked.
func requireLabelledCells(t *testing.T, name, body string) int {
	t.Helper()
	checked := 0
	for _, table := range tableRe.FindAllString(body, -1) {
		var cols []string
		for _, c := range colRe.FindAllStringSubmatch(headRe.FindString(table), -1) {
			cols = append(cols, html.UnescapeString(strings.TrimSpace(stripTags.ReplaceAllString(c[1], ""))))
		}
		for _, row := range rowRe.FindAllString(bodyRe.FindString(table), -1) {
			for i, cell := range cellRe.FindAllStringSubmatch(row, -1) {
				if cell[1] == "h" || strings.Contains(cell[2], "colspan") {
					continue
				}
				label := labelRe.FindStringSubmatch(cell[2])
				require.NotNil(t, label, "%s: a cell of column %d has no data-label: %s", name, i, row)
				require.Less(t, i, len(cols), "%s: more cells than columns: %s", name, row)
				require.Equal(t, cols[i], html.UnescapeString(label[1]), "%s: the cell is labelled with its column's name", name)
				checked++
			}
		}
	}
	return checked
}

// On a phone the tables stack: the vote tally, the cycle's report tasks,
// the task's versions, the proposals of a call and the dashboard's tables
// keep each cell's column name, in the reader's language.
func TestStackedTableCellsKeepTheirColumnNames(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.pool.Exec(ctx, `
		INSERT INTO submission (biennium, cycle, code, country, version, status, submitted_by, submitted_at)
			VALUES ('2017-2018', 'mid', 'A1', 'CL', 1, 'on_track', 'fp.cl@example.org', '2026-03-02 09:00Z');
		UPDATE report_task SET status = 'overdue' WHERE country = 'MX'`)
	require.NoError(t, err)
	vote := f.openRound(now.Add(7 * 24 * time.Hour))
	_, err = f.pool.Exec(ctx, `INSERT INTO vote (biennium, code, round, seat, member, vote_id, decision, cast_at)
		VALUES ('2017-2018', 'A1', 1, 'MX', 'fp.mx@example.org', 'v1', 'approve', now())`)
	require.NoError(t, err)
	report := f.link(store.PurposeReport, "task/2017-2018/mid/A1/CL", "fp.cl@example.org", now.Add(30*24*time.Hour))
	cookie := f.signIn()
	call := f.callLink()
	r := f.post(call+"/propose", goodProposal(f.formToken(call)))
	require.Equal(t, http.StatusSeeOther, r.status, "a proposal to list: %s", r.body)

	for _, lang := range []string{"es", "en", "pt", "fr"} {
		pages := map[string]response{
			"tally":     f.post("/l/"+vote+"/vote?lang="+lang, url.Values{"csrf": {f.formToken("/l/" + vote)}, "decision": {"approve"}, "page_lang": {lang}}),
			"cycle":     f.get("/cycles/2017-2018/mid?lang="+lang, cookie),
			"task":      f.get("/l/" + report + "?lang=" + lang),
			"dashboard": f.get("/?lang="+lang, cookie),
			"call":      f.get(call + "?lang=" + lang),
		}
		for name, r := range pages {
			if r.status == http.StatusSeeOther {
				r = f.sent(r)
			}
			require.Equal(t, http.StatusOK, r.status, "%s %s: %s", name, lang, r.body)
			require.Positive(t, requireLabelledCells(t, name+" "+lang, r.body), "%s %s has a table with cells", name, lang)
		}
	}
}
