package store_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// migrateUpTo empties the database and applies the migrations before
// version, as a database written by an older release.
func migrateUpTo(t *testing.T, pool *pgxpool.Pool, version string) {
	t.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `CREATE TABLE schema_migration (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`)
	require.NoError(t, err)
	files, err := filepath.Glob("migrations/*.sql")
	require.NoError(t, err)
	sort.Strings(files)
	for _, f := range files {
		v := strings.TrimSuffix(filepath.Base(f), ".sql")
		if v >= version {
			break
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		_, err = pool.Exec(ctx, string(b))
		require.NoError(t, err, v)
		_, err = pool.Exec(ctx, "INSERT INTO schema_migration (version) VALUES ($1)", v)
		require.NoError(t, err)
	}
}

// oldToken writes a link the way releases before 0100 did (a token, its
// hash stored) and returns the token.
func oldToken(t *testing.T, pool *pgxpool.Pool, subject string) string {
	t.Helper()
	b := make([]byte, 32)
	_, err := rand.Read(b)
	require.NoError(t, err)
	token := base64.RawURLEncoding.EncodeToString(b)
	_, err = pool.Exec(context.Background(), `INSERT INTO link (token_hash, purpose, subject, recipient, expires_at)
		VALUES ($1, 'report', $2, 'ana@example.org', '2030-01-01')`, store.HashToken(token), subject)
	require.NoError(t, err)
	return token
}

func TestMigrationScrubsLinksOutOfStoredMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, storetest.NewDatabase(t))
	require.NoError(t, err)
	defer pool.Close()
	migrateUpTo(t, pool, "0100")
	_, err = pool.Exec(ctx, `INSERT INTO person (email, name, language) VALUES ('ana@example.org', 'Ana', 'es')`)
	require.NoError(t, err)

	// One message per state an old row can be in, each with its own link
	// in its text, HTML and (folded) calendar.
	type old struct {
		status  string
		flagged bool
		token   string
		id      int64
	}
	rows := map[string]*old{
		"sent": {status: "sent"}, "queued": {status: "queued"}, "queued-after-unknown": {status: "queued", flagged: true},
		"sending": {status: "sending"}, "failed": {status: "failed"}, "failed-after-unknown": {status: "failed", flagged: true},
	}
	for name, r := range rows {
		r.token = oldToken(t, pool, "task/"+name)
		url := "https://bienal.example.org/tasks/" + r.token
		ics := "BEGIN:VCALENDAR\r\nURL:" + url + "\r\nEND:VCALENDAR\r\n"
		// Fold the URL line where it cuts the token, as the old rows' calendars were.
		ics = strings.Replace(ics, r.token[:20], r.token[:20]+"\r\n ", 1)
		atts, err := json.Marshal([]store.Attachment{{Name: "due.ics", ContentType: "text/calendar; charset=utf-8", Content: []byte(ics)}})
		require.NoError(t, err)
		require.NoError(t, pool.QueryRow(ctx, `INSERT INTO email (dedup_key, recipient, language, kind, subject, body_text,
			body_html, attachments, status, resent_after_unknown) VALUES ($1, 'ana@example.org', 'es', 'task_invitation', 'Informe',
			$2, $3, $4, $5, $6) RETURNING id`, "old/"+name, "Enlace: "+url+"\n", `<a href="`+url+`">`+url+`</a>`, atts,
			r.status, r.flagged).Scan(&r.id))
	}
	// The message being sent is still within its worker's lease.
	_, err = pool.Exec(ctx, `UPDATE email SET next_attempt_at = now() + interval '1 hour' WHERE status = 'sending'`)
	require.NoError(t, err)
	// A token shaped string that opens nothing is no secret: left alone.
	const stranger = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	_, err = pool.Exec(ctx, `INSERT INTO email (dedup_key, recipient, language, kind, subject, body_text, status)
		VALUES ('old/none', 'ana@example.org', 'es', 'receipt', 'Recibo', $1, 'sent')`, "ref "+stranger)
	require.NoError(t, err)

	s := store.New(pool)
	applied, err := s.Migrate(ctx)
	require.NoError(t, err)
	require.Equal(t, "0100_scrub_mail_links", applied[0])

	var all string
	require.NoError(t, pool.QueryRow(ctx, `SELECT string_agg(to_jsonb(e)::text || coalesce(convert_from(decode(a->>'content', 'base64'), 'UTF8'), ''), ' ')
		FROM email e LEFT JOIN LATERAL jsonb_array_elements(e.attachments) a ON true`).Scan(&all))
	require.Contains(t, all, stranger)
	now := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, r := range rows {
		var text, html string
		var atts []store.Attachment
		var links []int64
		var tokens map[string]string
		require.NoError(t, pool.QueryRow(ctx, `SELECT body_text, body_html, attachments, links, link_tokens FROM email WHERE id = $1`, r.id).
			Scan(&text, &html, &atts, &links, &tokens))
		require.Len(t, links, 1, name)
		ph := store.LinkPlaceholder(links[0])
		require.Equal(t, "Enlace: https://bienal.example.org/tasks/"+ph+"\n", text, name)
		require.Contains(t, html, `href="https://bienal.example.org/tasks/`+ph+`"`, name)
		require.Contains(t, string(atts[0].Content), "URL:https://bienal.example.org/tasks/"+ph+"\r\n", name)

		_, lookup := s.LookupLink(ctx, r.token, now)
		switch name {
		case "sent", "failed-after-unknown":
			require.NoError(t, lookup, "%s: a delivered link keeps working", name)
			require.Nil(t, tokens, name)
		case "sending", "queued-after-unknown":
			require.NoError(t, lookup, "%s: the copy that may have arrived keeps working", name)
			require.Equal(t, map[string]string{strings.Trim(strings.TrimPrefix(ph, "~link-"), "~"): r.token}, tokens,
				"%s: the resend will carry the same link", name)
		default:
			require.ErrorIs(t, lookup, store.ErrLinkInvalid, "%s: never delivered, the old token is forgotten", name)
			require.Nil(t, tokens, name)
		}
		if name != "sending" && name != "queued-after-unknown" {
			require.NotContains(t, all, r.token, "%s: the token is gone from every row", name)
		}
	}

	// The queued messages still go out with working links.
	claimed, err := s.ClaimEmails(ctx, time.Now().Add(time.Second), 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 2, "the queued ones")
	for _, c := range claimed {
		token := strings.TrimPrefix(strings.TrimSuffix(c.Fill(c.Text), "\n"), "Enlace: https://bienal.example.org/tasks/")
		l, err := s.LookupLink(ctx, token, now)
		require.NoError(t, err, c.DedupKey)
		require.Equal(t, "ana@example.org", l.Recipient)
		if c.DedupKey == "old/queued-after-unknown" {
			require.Equal(t, rows["queued-after-unknown"].token, token, "the resend carries the same link")
		}
	}
}
