package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
)

// TestTextsInTheReadersLanguage: A1's texts were written in English and
// partly translated into Spanish. Each page gives a reader their language
// where it was given, else the original in an element naming its language
// and said to be the original; a text whose language nobody said reads as
// written, unmarked.
func TestTextsInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cookie := f.signIn()
	_, err := f.pool.Exec(context.Background(), `
		UPDATE activity SET description = 'A shared agenda.', expected_outputs = '{"A study","A workshop"}' WHERE code = 'A1';
		INSERT INTO programme_text (biennium, subject, field, original_language, language, body) VALUES
			('2017-2018', 'goal/1', 'title', 'en', 'en', 'Goal one'),
			('2017-2018', 'goal/1', 'title', 'en', 'es', 'Objetivo uno'),
			('2017-2018', 'activity/A1', 'title', 'en', 'en', 'Digital agenda'),
			('2017-2018', 'activity/A1', 'title', 'en', 'es', 'Agenda digital'),
			('2017-2018', 'activity/A1', 'description', 'en', 'en', 'A shared agenda.'),
			('2017-2018', 'activity/A1', 'description', 'en', 'es', 'Una agenda compartida.'),
			('2017-2018', 'activity/A1', 'expected_outputs/0', 'en', 'en', 'A study'),
			('2017-2018', 'activity/A1', 'expected_outputs/0', 'en', 'es', 'Un estudio')`)
	require.NoError(t, err)

	r := f.get("/activities/2017-2018/A1?lang=es", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "A1: Agenda digital</h2>")
	require.Contains(t, r.body, `<p class="text" id="description">Una agenda compartida.</p>`)
	require.Contains(t, r.body, `<ul id="outputs"><li>Un estudio</li><li>A workshop</li></ul>`,
		"an output nobody gave the language of reads as written, unmarked")
	require.Contains(t, r.body, "1. Objetivo uno", "the goal's title in Spanish too")

	r = f.get("/activities/2017-2018/A1?lang=pt", cookie)
	require.Contains(t, r.body, `A1: <span lang="en">Digital agenda</span> (original em inglês)</h2>`)
	require.Contains(t, r.body, `<span lang="en">A shared agenda.</span> (original em inglês)`)
	// Beside them, the texts in every other language given, the original said.
	require.Contains(t, r.body, `<h4 id="texts-en">Em inglês · o original</h4>`)
	require.Contains(t, r.body, `<h4 id="texts-es">Em espanhol</h4>`)
	require.Contains(t, r.body, `<dl lang="es"><dt lang="pt">Título</dt><dd>Agenda digital</dd>`)
	require.Contains(t, r.body, `<dd class="text">Una agenda compartida.</dd>`)
	require.Contains(t, r.body, `<dd>Un estudio</dd>`)
	require.NotContains(t, r.body, `id="texts-fr"`, "a language nothing was given in is not listed")

	r = f.get("/?lang=es", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "Objetivo 1: Objetivo uno</h3>")
	require.Contains(t, r.body, ">Agenda digital</td>")
	r = f.get("/goals/2017-2018/1?lang=fr", cookie)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, `<span lang="en">Digital agenda</span> (original en anglais)`)

	// The focal point's link speaks their language, English: the original.
	token := f.link(store.PurposeReport, taskSubject, "fp.cl@example.org", now.Add(30*24*time.Hour))
	r = f.get("/tasks/" + token)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Contains(t, r.body, "A1: Digital agenda</h2>")
	r = f.get("/tasks/" + token + "?lang=es")
	require.Contains(t, r.body, "A1: Agenda digital</h2>")

	// A dead link names what it was for in its recipient's language:
	// Mexico's focal point reads Portuguese, which the title was not given in.
	const mx = "task/2017-2018/mid/A1/MX"
	dead := f.link(store.PurposeReport, mx, "fp.mx@example.org", now.Add(30*24*time.Hour))
	_, err = f.pool.Exec(context.Background(), `UPDATE link SET revoked_at = '2026-03-01', revoked_cause = 'replaced'
		WHERE subject = $1`, mx)
	require.NoError(t, err)
	r = f.get("/tasks/" + dead)
	require.Contains(t, r.body, `id="dead-for"`, r.body)
	require.Contains(t, r.body, `<span lang="en">Digital agenda</span> (original em inglês)`)

	// Revised since its translations were written: shown as revised.
	_, err = f.pool.Exec(context.Background(), `UPDATE activity SET title = 'Digital agenda for the region' WHERE code = 'A1'`)
	require.NoError(t, err)
	r = f.get("/activities/2017-2018/A1?lang=es", cookie)
	require.Contains(t, r.body, "A1: Digital agenda for the region</h2>")
	require.NotContains(t, r.body, "Agenda digital</h2>")
	require.NotContains(t, r.body, `id="texts-es"`, "nor are translations of the title it had")
}
