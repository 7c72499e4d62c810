package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDashboardSummarisesGoals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	r := f.get("/?lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<a href="/goals/2017-2018/1">All activities of this goal (1)</a>`)
	require.Contains(t, r.body, `<a href="/goals/2017-2018/1?status=in_execution">in execution</a>: 1`)
	require.Contains(t, r.body, `<td data-label="Code"><a href="/activities/2017-2018/A1">A1</a></td><td data-label="Title">Digital agenda</td><td data-label="Lead country">CL</td><td class="status" data-label="Status">in execution</td><td data-label="Overdue tasks">1</td>`,
		"A1 needs attention: its Mexican task is overdue")
}

func TestGoalActivitiesListPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.pool.Exec(context.Background(), `INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
		SELECT '2017-2018', 'B' || lpad(i::text, 3, '0'), 1, 1, 'MX', 'Batch ' || i, 'proposed' FROM generate_series(1, 120) i`)
	require.NoError(t, err)
	cookie := f.signIn()

	r := f.get("/goals/2017-2018/1?lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Goal 1: Goal one")
	require.Contains(t, r.body, "121 · Page 1 / 2")
	require.Contains(t, r.body, `<a href="/activities/2017-2018/A1">A1</a>`)
	require.Equal(t, 100, strings.Count(r.body, `<td data-label="Code"><a href="/activities/2017-2018/`))
	require.Contains(t, r.body, `<a href="/goals/2017-2018/1?page=2" rel="next">Next page</a>`)

	r = f.get("/goals/2017-2018/1?page=2&lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Equal(t, 21, strings.Count(r.body, `<td data-label="Code"><a href="/activities/2017-2018/`))
	require.Contains(t, r.body, `<a href="/activities/2017-2018/B120">B120</a>`)
	require.NotContains(t, r.body, `rel="next"`)

	r = f.get("/goals/2017-2018/1?status=in_execution&lang=en", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "in execution · ")
	require.Equal(t, 1, strings.Count(r.body, `<td data-label="Code"><a href="/activities/2017-2018/`))

	r = f.get("/?lang=en", cookie)
	require.Contains(t, r.body, `<a href="/goals/2017-2018/1?status=proposed">proposed</a>: 120`)
	require.Equal(t, 50, strings.Count(r.body, `<td data-label="Code"><a href="/activities/2017-2018/`), "the dashboard shows the first 50 needing attention")
	require.Contains(t, r.body, "50 / 121 · ")
}

func TestGoalActivitiesRefusesBadQueries(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	for _, path := range []string{"/goals/2017-2018/x", "/goals/2017-2018/0", "/goals/2017-2018/1?status=lost", "/goals/2017-2018/1?page=0"} {
		r := f.get(path+"&lang=en", cookie)
		if !strings.Contains(path, "?") {
			r = f.get(path+"?lang=en", cookie)
		}
		require.Equal(t, http.StatusBadRequest, r.status, path)
		require.Contains(t, r.body, "This list needs a goal number", path)
	}
	r := f.get("/goals/2017-2018/9", cookie)
	require.Equal(t, http.StatusNotFound, r.status)
	r = f.get("/goals/2017-2018/1")
	require.Equal(t, http.StatusSeeOther, r.status, "the list is behind the login")
}
