package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// A secretariat user logs in, opens a reporting cycle from the dashboard,
// and on the cycle's page extends one task: the extension is stored and the
// task's due date moves.
func TestBrowserSecretariatOpensCycleAndExtendsTask(t *testing.T) {
	b := newBrowser(t)
	s := newStack(t)
	s.importAndExecute()
	out, errOut, err := s.run("s3cret-passw0rd-long\n", "user", "add", "--email", "sec@example.org")
	require.NoError(t, err, "user add: %s %s", out, errOut)

	b.open("1-login", s.baseURL+"/login", "#login")
	b.do("fill in the login", typeIn("#email", "sec@example.org", "#password", "s3cret-passw0rd-long")...)
	b.submit("2-dashboard", "#login", "#open-cycle")

	due, closes := futureDay(40), futureDay(70)
	b.do("fill in the new cycle", append([]chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS("#cycle_biennium"), "2017-2018"),
		chromedp.SetValue(chromedp.CSS("#cycle_due"), due),
		chromedp.SetValue(chromedp.CSS("#cycle_closes"), closes)},
		typeIn("#cycle_name", "midterm", "#cycle_title", "Informe de medio término")...)...)
	b.shot("3-new-cycle")
	b.submit("4-cycle", "#open-cycle", "#close-cycle")
	require.Contains(t, b.location(), "/cycles/2017-2018/midterm")

	// The cycle's workflow creates the tasks: wait for them, then look again.
	eventually(t, "the midterm tasks created", 60*time.Second, func() bool {
		return s.count(`SELECT count(*) FROM report_task WHERE biennium = '2017-2018' AND cycle = 'midterm'`) > 0
	})
	var code, country string
	var dueOn time.Time
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT code, country, due_on FROM report_task
		WHERE biennium = '2017-2018' AND cycle = 'midterm' ORDER BY code, country LIMIT 1`).Scan(&code, &country, &dueOn))
	require.Equal(t, due, dueOn.Format(time.DateOnly))
	id := code + "-" + country
	b.open("5-cycle-tasks", s.baseURL+"/cycles/2017-2018/midterm", "#until-"+id)

	until := futureDay(55)
	reason := "Cambio de autoridades en el ministerio."
	b.do("fill in the extension", append([]chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.CSS("#actions-" + id + " summary")),
		chromedp.SetValue(chromedp.CSS("#until-"+id), until)}, typeIn("#reason-"+id, reason)...)...)
	b.shot("6-extension")
	extend := fmt.Sprintf(`form[action$="/tasks/%s/%s/extend"] button`, code, country)
	b.submit("7-extended", extend, "#close-cycle")

	eventually(t, "the extension stored and the due date moved", 60*time.Second, func() bool {
		return s.count(`SELECT count(*) FROM extension WHERE biennium = '2017-2018' AND cycle = 'midterm'
			AND code = $1 AND country = $2 AND from_date = $3 AND until_date = $4 AND reason = $5
			AND granted_by = 'sec@example.org'`, code, country, due, until, reason) == 1 &&
			s.count(`SELECT count(*) FROM report_task WHERE biennium = '2017-2018' AND cycle = 'midterm'
			AND code = $1 AND country = $2 AND due_on = $3`, code, country, until) == 1
	})
	require.Equal(t, 1, s.count("SELECT count(*) FROM extension"))
	b.open("8-cycle-after", s.baseURL+"/cycles/2017-2018/midterm", "#until-"+id)
	require.Contains(t, b.text("tr:has(#until-"+id+")"), spanishDay(t, until), "the cycle page shows the new due date")
}
