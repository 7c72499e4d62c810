package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// The secretariat replaces Argentina's focal point from the portal's
// directory; the new focal point opens the link the handover e-mailed them
// and sends the report of one of Argentina's open tasks.
func TestBrowserSecretariatReplacesAFocalPointWhoReports(t *testing.T) {
	b := newBrowser(t)
	s := newStack(t)
	s.importAndExecute()
	s.bienal("cycle", "open", "--biennium", "2017-2018", "--name", "final", "--due", futureDay(40), "--closes", futureDay(70))
	s.linkTo("focal.ar@example.org", "/tasks/")
	out, errOut, err := s.run("s3cret-passw0rd-long\n", "user", "add", "--email", "sec@example.org")
	require.NoError(t, err, "user add: %s %s", out, errOut)

	b.open("1-login", s.baseURL+"/login", "#login")
	b.do("fill in the login", typeIn("#email", "sec@example.org", "#password", "s3cret-passw0rd-long")...)
	b.submit("2-dashboard", "#login", "#directory-link")
	b.submit("3-directory", "#directory-link", "#replace-submit")
	require.Contains(t, b.text("#country-AR"), "focal.ar@example.org")
	b.do("fill in the replacement", append([]chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS("#replace-country"), "AR"),
		chromedp.SetValue(chromedp.CSS("#replace-role"), "focal_point"),
		chromedp.SetValue(chromedp.CSS("#replace-language"), "pt")},
		typeIn("#replace-email", "nueva.ar@example.org", "#replace-name", "Nueva Focal",
			"#replace-time_zone", "America/Argentina/Buenos_Aires", "#replace-reference", "Nota verbal 7/2027")...)...)
	b.shot("4-replacement")
	b.submit("5-replaced", "#replace-submit", "#done")
	require.Contains(t, b.text("#country-AR"), "nueva.ar@example.org")
	require.NotContains(t, b.text("#country-AR"), "focal.ar@example.org")

	link := s.linkTo("nueva.ar@example.org", "/tasks/")
	b.open("6-task", link, "#submit")
	b.do("fill in the report", append([]chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS("#status-on_track"))},
		typeIn("#progress", "Relatório enviado pela nova ponto focal.")...)...)
	b.submit("7-confirmation", "#submit", "#confirmation")
	require.Equal(t, 1, s.count(`SELECT count(*) FROM submission WHERE country = 'AR' AND submitted_by = 'nueva.ar@example.org'
		AND progress = 'Relatório enviado pela nova ponto focal.'`))
	require.Equal(t, 1, s.count(`SELECT count(*) FROM audit_log WHERE action = 'focal_point_replaced' AND actor = 'sec@example.org'
		AND detail->>'reference' = 'Nota verbal 7/2027'`))
}
