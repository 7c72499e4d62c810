package mail_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/activities"
	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/mail/mailtest"
	"github.com/bienal/bienal/reminder"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

const linkBase = "https://bienal.example.org"

// linkAt is a moment when every link the fixture's messages carry is live.
var linkAt = time.Date(2018, 5, 10, 12, 0, 0, 0, time.UTC)

var sentLink = regexp.MustCompile(regexp.QuoteMeta(linkBase) + `/(?:l|tasks|vote|revise)/([A-Za-z0-9_-]{43})`)

// linkFixture is the reminder tests' cycle and committee round, plus a
// committee and a second proposal for a round opened here.
func linkFixture(t *testing.T) (*store.Store, *pgxpool.Pool, *activities.Activities) {
	t.Helper()
	st, pool := storetest.New(t)
	cycle, err := os.ReadFile("../reminder/testdata/cycle.sql")
	require.NoError(t, err)
	ctx := context.Background()
	_, err = pool.Exec(ctx, string(cycle))
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `
		INSERT INTO committee_member (biennium, email, country, role) VALUES
			('2017-2018', 'marie@ht.example', 'HT', 'chair'), ('2017-2018', 'luis@uy.example', 'UY', 'member');
		INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
			VALUES ('2017-2018', 'A8', 1, 1, 'BR', 'Data commons', 'under_review');`)
	require.NoError(t, err)
	return st, pool, &activities.Activities{Store: st, BaseURL: linkBase, Now: func() time.Time { return linkAt }}
}

func openTask(t *testing.T, a *activities.Activities, code, country string) {
	t.Helper()
	_, err := a.OpenTask(context.Background(), activities.OpenTaskInput{
		Task: cooperation.TaskKey{Biennium: "2017-2018", Cycle: "final", Code: code, Country: country}, Due: "2018-05-31"})
	require.NoError(t, err)
}

// delivered is one message as the recipient got it, with the tokens of its links.
type delivered struct {
	kind, recipient, messageID string
	tokens                     []string
}

// deliverAll delivers every due message and returns what the server
// recorded since skip (received).
func deliverAll(t *testing.T, pool *pgxpool.Pool, d *mail.Deliverer, srv *mailtest.Server, skip int) []delivered {
	t.Helper()
	for deliverOnce(t, d) > 0 {
	}
	return received(t, pool, srv, skip)
}

// received returns the messages the server recorded since skip, each with
// the tokens in its text, which its HTML and calendar attachment must carry
// as well.
func received(t *testing.T, pool *pgxpool.Pool, srv *mailtest.Server, skip int) []delivered {
	t.Helper()
	kinds := map[string]string{}
	rows, err := pool.Query(context.Background(), "SELECT dedup_key, kind FROM email")
	require.NoError(t, err)
	var key, kind string
	for rows.Next() {
		require.NoError(t, rows.Scan(&key, &kind))
		kinds["<"+mail.MessageID(key)+">"] = kind
	}
	require.NoError(t, rows.Err())
	var out []delivered
	for _, m := range srv.Messages()[skip:] {
		p, err := m.Parts()
		require.NoError(t, err)
		got := delivered{kind: kinds[m.MessageID], recipient: m.To[0], messageID: m.MessageID}
		for _, match := range sentLink.FindAllStringSubmatch(p.Text, -1) {
			got.tokens = append(got.tokens, match[1])
			require.Contains(t, p.HTML, `href="`+match[0]+`"`, "%s: the HTML part links the same", got.kind)
		}
		require.NotContains(t, p.Text+p.HTML, "~link-", "%s: every placeholder filled in", got.kind)
		for _, a := range p.Attachments {
			if a.MediaType == "text/calendar" {
				ics := string(store.UnfoldCalendar(a.Content))
				require.Contains(t, ics, got.tokens[0], "%s: the calendar event links the same", got.kind)
				for _, line := range strings.Split(string(a.Content), "\r\n") {
					require.LessOrEqual(t, len(line), 75, "folded again: %q", line)
				}
			}
		}
		out = append(out, got)
	}
	return out
}

// requireOpens checks that every token opens a live link of its message's recipient.
func requireOpens(t *testing.T, st *store.Store, msgs []delivered) {
	t.Helper()
	for _, m := range msgs {
		require.NotEmpty(t, m.tokens, "%s to %s carries a link", m.kind, m.recipient)
		for _, token := range m.tokens {
			l, err := st.LookupLink(context.Background(), token, linkAt)
			require.NoError(t, err, "%s to %s: %s", m.kind, m.recipient, token)
			require.Equal(t, m.recipient, l.Recipient)
		}
	}
}

// requireNoTokenAtRest scans every column of every e-mail row, and the
// decoded attachments unfolded, for anything shaped like a token: none may
// open a link row; nor may the delivered tokens appear at all, nor in the
// e-mail log as `bienal mail log --json` and the portal's log page read it.
// Columns named in except are left out of the scan.
func requireNoTokenAtRest(t *testing.T, st *store.Store, pool *pgxpool.Pool, msgs []delivered, except ...string) {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, "SELECT id, (to_jsonb(e) - coalesce($1::text[], '{}'))::text, attachments FROM email e", except)
	require.NoError(t, err)
	var stored []string
	var ids []int64
	for rows.Next() {
		var id int64
		var row string
		var atts []store.Attachment
		require.NoError(t, rows.Scan(&id, &row, &atts))
		stored = append(stored, row)
		ids = append(ids, id)
		for _, a := range atts {
			stored = append(stored, string(a.Content), string(store.UnfoldCalendar(a.Content)))
		}
	}
	require.NoError(t, rows.Err())
	list, err := st.ListEmails(ctx, store.EmailFilter{Limit: 10000})
	require.NoError(t, err)
	b, err := json.Marshal(list)
	require.NoError(t, err)
	stored = append(stored, string(b))
	for _, id := range ids {
		e, err := st.GetEmail(ctx, id)
		require.NoError(t, err)
		b, err := json.Marshal(e)
		require.NoError(t, err)
		stored = append(stored, string(b))
	}

	all := strings.Join(stored, "\n")
	for _, m := range msgs {
		for _, token := range m.tokens {
			require.False(t, strings.Contains(all, token), "the token of %s to %s is stored", m.kind, m.recipient)
		}
	}
	var hashes [][]byte
	for _, c := range regexp.MustCompile(`[A-Za-z0-9_-]+`).FindAllString(all, -1) {
		if store.ParseToken(c) == nil {
			hashes = append(hashes, store.HashToken(c))
		}
	}
	var live int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM link WHERE token_hash = ANY($1)", hashes).Scan(&live))
	require.Zero(t, live, "a stored e-mail row holds a token that opens a link")
}

func TestLinksOutOfStoredMail(t *testing.T) {
	t.Parallel()
	st, pool, a := linkFixture(t)
	ctx := context.Background()
	srv := mailtest.Start(t)
	clk := newClock()
	d := newDeliverer(t, st, srv.URL(), clk)

	// A task invitation, a round's vote invitations, a call for proposals
	// and the reminder digests, each composed as in production.
	openTask(t, a, "A2", "CL")
	_, err := a.OpenReviewRound(ctx, activities.OpenRoundInput{Biennium: "2017-2018", Code: "A8", Round: 1,
		At: time.Date(2018, 5, 2, 12, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	_, err = st.OpenCall(ctx, "2017-2018", time.Date(2018, 6, 30, 0, 0, 0, 0, time.UTC), "sec@eclac.example",
		time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC), mail.CallInvitation(linkBase))
	require.NoError(t, err)
	sw := &reminder.Sweeper{Store: st, BaseURL: linkBase, Logger: quiet}
	res, err := sw.Sweep(ctx, time.Date(2018, 5, 8, 12, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Positive(t, res.Digests)
	requireNoTokenAtRest(t, st, pool, nil)
	var pending int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM link WHERE token_hash IS NULL").Scan(&pending))
	require.Positive(t, pending, "a queued message's link has no token yet")

	msgs := deliverAll(t, pool, d, srv, 0)
	kinds := map[string]int{}
	for _, m := range msgs {
		kinds[m.kind]++
	}
	for _, k := range []string{"task_invitation", "vote_request", "call_for_proposals", reminder.Kind} {
		require.Positive(t, kinds[k], "a %s was delivered: %v", k, kinds)
	}
	requireOpens(t, st, msgs)
	requireNoTokenAtRest(t, st, pool, msgs)

	t.Run("resend after an unknown outcome carries the same link", func(t *testing.T) {
		openTask(t, a, "A1", "BR")
		skip := len(srv.Messages())
		srv.DropAfterData(1)
		require.Equal(t, 1, deliverOnce(t, d))
		e, err := st.GetEmail(ctx, emailID(t, pool, "invitation/2017-2018/final/A1/BR/bruna@br.example/0"))
		require.NoError(t, err)
		require.Equal(t, store.EmailQueued, e.Status)
		require.True(t, e.ResentAfterUnknown)
		first := received(t, pool, srv, skip)
		require.Len(t, first, 1, "the copy that may have arrived")
		// Until the resend, the row holds the token in link_tokens alone:
		// not in its bodies, nor in the e-mail log.
		requireNoTokenAtRest(t, st, pool, first, "link_tokens")
		var held map[string]string
		require.NoError(t, pool.QueryRow(ctx, "SELECT link_tokens FROM email WHERE id = $1", e.ID).Scan(&held))
		require.Len(t, held, 1)

		clk.Add(time.Hour)
		both := deliverAll(t, pool, d, srv, skip)
		require.Len(t, both, 2)
		require.Equal(t, both[0].messageID, both[1].messageID)
		require.Equal(t, both[0].tokens, both[1].tokens, "the resend carries the same link")
		requireOpens(t, st, both)
		requireNoTokenAtRest(t, st, pool, both)
	})

	t.Run("retry of a refused message carries a working link", func(t *testing.T) {
		openTask(t, a, "A3", "CL")
		skip := len(srv.Messages())
		srv.FailNext(1, 550, "5.1.1", "mailbox unavailable")
		require.Equal(t, 1, deliverOnce(t, d))
		id := emailID(t, pool, "invitation/2017-2018/final/A3/CL/carlos@cl.example/0")
		e, err := st.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.EmailFailed, e.Status)
		var minted int
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM link WHERE subject = 'task/2017-2018/final/A3/CL'
			AND token_hash IS NOT NULL`).Scan(&minted))
		require.Zero(t, minted, "the refused message's token is forgotten: nobody holds it")

		require.NoError(t, st.RetryEmail(ctx, id))
		msgs := deliverAll(t, pool, d, srv, skip)
		require.Len(t, msgs, 1)
		requireOpens(t, st, msgs)
		requireNoTokenAtRest(t, st, pool, msgs)
	})

	t.Run("retry of a message given up after two unknown outcomes", func(t *testing.T) {
		openTask(t, a, "A3", "AR")
		skip := len(srv.Messages())
		srv.DropAfterData(2)
		require.Equal(t, 1, deliverOnce(t, d))
		clk.Add(time.Hour)
		require.Equal(t, 1, deliverOnce(t, d))
		id := emailID(t, pool, "invitation/2017-2018/final/A3/AR/ana@ar.example/0")
		e, err := st.GetEmail(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.EmailFailed, e.Status)
		copies := received(t, pool, srv, skip)
		require.Len(t, copies, 2)
		require.Equal(t, copies[0].tokens, copies[1].tokens)
		requireOpens(t, st, copies)
		requireNoTokenAtRest(t, st, pool, copies)
		// Either copy may have arrived: their link keeps working.

		require.NoError(t, st.RetryEmail(ctx, id))
		msgs := deliverAll(t, pool, d, srv, skip)
		require.Len(t, msgs, 3)
		require.NotEqual(t, copies[0].tokens, msgs[2].tokens, "a fresh link for the retry")
		requireOpens(t, st, msgs)
		requireNoTokenAtRest(t, st, pool, msgs)
	})
}

func emailID(t *testing.T, pool *pgxpool.Pool, key string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT id FROM email WHERE dedup_key = $1", key).Scan(&id))
	return id
}

// The .eml files of `bienal dev` are the messages as sent: with their links.
func TestCapturedMailKeepsTheLink(t *testing.T) {
	t.Parallel()
	st, pool, a := linkFixture(t)
	ctx := context.Background()
	openTask(t, a, "A2", "CL")
	dir := t.TempDir()
	d, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, CaptureDir: dir, From: "bienal@cepal.example", Logger: quiet})
	require.NoError(t, err)
	require.Equal(t, 1, deliverOnce(t, d))
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	raw, err := os.ReadFile(files[0])
	require.NoError(t, err)
	p, err := mailtest.Message{Raw: raw}.Parts()
	require.NoError(t, err)
	match := sentLink.FindStringSubmatch(p.Text)
	require.NotNil(t, match, p.Text)
	l, err := st.LookupLink(ctx, match[1], linkAt)
	require.NoError(t, err)
	require.Equal(t, "carlos@cl.example", l.Recipient)
	requireNoTokenAtRest(t, st, pool, []delivered{{kind: "task_invitation", recipient: "carlos@cl.example", tokens: []string{match[1]}}})
}
