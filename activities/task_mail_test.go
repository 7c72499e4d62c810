package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// Brazil's two focal points read Portuguese and French; its task in an open
// mid-term cycle waits for a report.
const receiptSeed = `
INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Biennial programme');
INSERT INTO goal VALUES ('2017-2018', 1, 'Strengthen innovation policies');
INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Science, technology and innovation');
INSERT INTO country VALUES ('BR', 'Brazil');
INSERT INTO person (email, name, language) VALUES ('joao@mcti.gov.br', 'João Silva', 'pt'), ('claire@mcti.gov.br', 'Claire Martin', 'fr');
INSERT INTO focal_point VALUES ('2017-2018', 'BR', 'joao@mcti.gov.br'), ('2017-2018', 'BR', 'claire@mcti.gov.br');
INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
	VALUES ('2017-2018', 'A1.2', 1, 1, 'BR', 'Rede de parques científicos', 'in_execution');
INSERT INTO reporting_cycle (biennium, name, title, due_on, closes_on, status)
	VALUES ('2017-2018', 'mid-term', 'Meio termo 2017-2018', '2018-05-31', '2018-07-31', 'open');
INSERT INTO report_task (biennium, cycle, code, country, due_on, status)
	VALUES ('2017-2018', 'mid-term', 'A1.2', 'BR', '2018-05-31', 'open');`

// TestReceiptInRecipientLanguage submits Brazil's report the way the portal
// and `bienal task submit` do and reads the receipts the database holds: each
// focal point's in their own language, naming the country and the declared
// status in words, never "BR" or "on_track".
func TestReceiptInRecipientLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, receiptSeed)
	require.NoError(t, err)
	k := cooperation.TaskKey{Biennium: "2017-2018", Cycle: "mid-term", Code: "A1.2", Country: "BR"}
	_, err = s.CreateSubmission(ctx, store.NewSubmission{Task: k, Status: "on_track", Progress: "Carta assinada por quatro parques",
		SubmittedBy: "joao@mcti.gov.br", Language: "pt", At: time.Date(2018, 5, 20, 15, 0, 0, 0, time.UTC)}, activities.ComposeReceipt)
	require.NoError(t, err)

	receipt := func(to string) (lang, subject, text, html, key string) {
		t.Helper()
		require.NoError(t, pool.QueryRow(ctx, `SELECT language, subject, body_text, body_html, dedup_key FROM email
			WHERE kind = $1 AND recipient = $2`, mail.KindReceipt, to).Scan(&lang, &subject, &text, &html, &key))
		return
	}

	lang, subject, text, html, key := receipt("joao@mcti.gov.br")
	require.Equal(t, "pt", lang)
	require.Equal(t, "Recebido: relatório sobre Rede de parques científicos (versão 1)", subject)
	require.Contains(t, text, "Prezado/a João Silva,\n")
	require.Contains(t, text, "Recebemos a versão 1 do relatório sobre Rede de parques científicos (A1.2), ciclo Meio termo 2017-2018.\n")
	require.Contains(t, text, "País: Brasil\n")
	require.Contains(t, text, "Situação informada: conforme o previsto.\n")
	require.Contains(t, text, "até 31 de julho de 2018")
	require.Contains(t, html, "País: Brasil")
	require.Contains(t, text, "\nEscrito em português\n")
	require.Contains(t, html, `lang="pt">Carta assinada por quatro parques</p>`)
	for _, body := range []string{subject, text, html} {
		require.NotRegexp(t, `\bBR\b|on_track|Brazil`, body)
	}
	require.Equal(t, mail.ReceiptKey(k, 1, "joao@mcti.gov.br"), key)

	lang, _, text, _, _ = receipt("claire@mcti.gov.br")
	require.Equal(t, "fr", lang)
	require.Contains(t, text, "Pays : Brésil\n")
	require.Contains(t, text, "État déclaré : conforme au calendrier.\n")
	require.Contains(t, text, "\nRédigé en portugais\n", "the language of the texts, in the reader's")
}

// TestTitleInTheRecipientsLanguage: the activity's title was written in
// Portuguese and translated into English. Each focal point reads it in
// their language where it was given, else as written, told in which
// language it is; the subject carries the title alone.
func TestTitleInTheRecipientsLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := storetest.New(t)
	_, err := pool.Exec(ctx, receiptSeed+`
INSERT INTO person (email, name, language) VALUES ('ana@mcti.gov.br', 'Ana Lima', 'en');
INSERT INTO focal_point VALUES ('2017-2018', 'BR', 'ana@mcti.gov.br');
INSERT INTO programme_text (biennium, subject, field, original_language, language, body) VALUES
	('2017-2018', 'activity/A1.2', 'title', 'pt', 'pt', 'Rede de parques científicos'),
	('2017-2018', 'activity/A1.2', 'title', 'pt', 'en', 'Network of science parks');`)
	require.NoError(t, err)
	k := cooperation.TaskKey{Biennium: "2017-2018", Cycle: "mid-term", Code: "A1.2", Country: "BR"}
	_, err = s.CreateSubmission(ctx, store.NewSubmission{Task: k, Status: "on_track", Progress: "Carta assinada",
		SubmittedBy: "joao@mcti.gov.br", At: time.Date(2018, 5, 20, 15, 0, 0, 0, time.UTC)}, activities.ComposeReceipt)
	require.NoError(t, err)

	receipt := func(to string) (subject, text, html string) {
		t.Helper()
		require.NoError(t, pool.QueryRow(ctx, `SELECT subject, body_text, body_html FROM email
			WHERE kind = $1 AND recipient = $2`, mail.KindReceipt, to).Scan(&subject, &text, &html))
		return
	}
	subject, text, html := receipt("ana@mcti.gov.br")
	require.Contains(t, subject, "Network of science parks")
	require.Contains(t, text, "Network of science parks (A1.2)")
	require.NotContains(t, text+html, "Rede de parques", "the English reader gets the English title")

	_, text, html = receipt("joao@mcti.gov.br")
	require.Contains(t, text, "Rede de parques científicos (A1.2)")
	require.NotContains(t, text+html, "(original", "the original, to its own readers, is not marked")

	subject, text, html = receipt("claire@mcti.gov.br")
	require.Contains(t, subject, "Rede de parques científicos")
	require.NotContains(t, subject, "original", "the subject carries the title alone")
	require.Contains(t, text, "Rede de parques científicos (original en portugais) (A1.2)")
	require.Contains(t, html, `<span lang="pt">Rede de parques científicos</span> (original en portugais)`,
		"a screen reader reads the title in Portuguese")
}
