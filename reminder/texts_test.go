package reminder_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReminderNamesTasksInTheReadersLanguage: A2's title was written in
// English and translated into Spanish. Ana reads Spanish and gets the
// translation; A1, given in English only, is hers as written, told to be
// the original, in an element naming English in the HTML part.
func TestReminderNamesTasksInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	s, pool, sw := setup(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO programme_text (biennium, subject, field, original_language, language, body) VALUES
		('2017-2018', 'activity/A2', 'title', 'en', 'en', 'Broadband observatory'),
		('2017-2018', 'activity/A2', 'title', 'en', 'es', 'Observatorio de banda ancha'),
		('2017-2018', 'activity/A1', 'title', 'en', 'en', 'Regional digital agenda')`)
	require.NoError(t, err)

	// Seven days before the due date, 10:00 in Buenos Aires.
	res, err := sw.Sweep(ctx, utc("2018-05-24T13:00:00Z"))
	require.NoError(t, err)
	require.Positive(t, res.Digests)
	var html string
	require.NoError(t, pool.QueryRow(ctx, `SELECT body_html FROM email WHERE kind = 'reminder' AND recipient = 'ana@ar.example'`).Scan(&html))
	text, _ := sent(t, s, pool, `SELECT id FROM email WHERE kind = 'reminder' AND recipient = 'ana@ar.example'`)
	require.Contains(t, text, "Informe: Observatorio de banda ancha (A2")
	require.NotContains(t, text, "Broadband observatory")
	require.Contains(t, text, "Informe: Regional digital agenda (original en inglés) (A1")
	require.Contains(t, html, `<span lang="en">Regional digital agenda</span> (original en inglés)`)
}
