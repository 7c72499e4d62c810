package web_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

// A completion goes to the activity's workflow as an update, and the page
// says what it answered: done, or why not, in the person's language.
func TestCompletionIsAnswered(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.link(store.PurposeComplete, store.ActivityRef("2017-2018", "A1"), "fp.cl@example.org", now.Add(30*24*time.Hour))
	csrf := f.formToken("/l/" + token)

	f.temporal.refusal = workflows.RefusalError("activity_closed", "the activity is cancelled", false)
	r := f.answered(f.post("/l/"+token+"/complete?lang=fr", url.Values{"csrf": {csrf}, "statement": {"Terminé."}}))
	require.Contains(t, r.body, "Cette activité est close")
	require.Equal(t, 1, f.count("audit_log WHERE action = 'signal_refused' AND subject = 'activity/2017-2018/A1'"))

	f.temporal.refusal = nil
	r = f.answered(f.post("/l/"+token+"/complete?lang=en", url.Values{"csrf": {f.formToken("/l/" + token)}, "statement": {"All outputs delivered."}}))
	require.Contains(t, r.body, "The activity&#39;s completion was recorded.")
	require.Contains(t, r.body, `<p class="message" role="status" id="confirmation">`)
	sent := f.temporal.sent()
	require.Len(t, sent, 2)
	require.Equal(t, workflows.UpdateComplete, sent[1].Name)
	require.Equal(t, workflows.CompleteSignal{By: f.personID("fp.cl@example.org"), Statement: "All outputs delivered."}, sent[1].Arg)
}
