package bench

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bienal/bienal/reminder"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/web"
)

var (
	b2Tasks = flag.Int("b2.tasks", 100000, "B2: open tasks (100 countries, tasks/100 activities)")
	b2Due   = flag.Int("b2.due", 1000, "B2: tasks with a reminder due (a multiple of 100)")
	b6Tasks = flag.Int("b6.tasks", 10000, "B6: tasks on the dashboard (10 countries, tasks/10 activities)")
	repeats = flag.Int("repeats", 15, "B2, B6: runs of each query whose median is taken")
)

// sweepNow is a Wednesday noon (UTC): inside every focal point's working hours.
var sweepNow = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// claimSQL is the baseline of B2: the one statement that claims the due
// reminders, reading only the tasks whose due date brings them into a
// reminder stage (the partial index report_task_open on due_on).
const claimSQL = `INSERT INTO reminder_sent (recipient, item, stage, sent_at)
	SELECT fp.email, 'task/' || t.biennium || '/' || t.cycle || '/' || t.code || '/' || t.country,
		'before-7@' || t.due_on::text, $1
	FROM report_task t
	JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle
	JOIN focal_point fp ON fp.biennium = t.biennium AND fp.country = t.country
	WHERE t.status IN ('open', 'overdue') AND c.status = 'open' AND t.due_on <= $2::date
	ON CONFLICT DO NOTHING`

// findNoneSQL is the baseline of B2 with nothing due: the SELECT that finds
// the due reminders not yet sent, which are none.
const findNoneSQL = `SELECT fp.email, t.code, t.country FROM report_task t
	JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle
	JOIN focal_point fp ON fp.biennium = t.biennium AND fp.country = t.country
	WHERE t.status IN ('open', 'overdue') AND c.status = 'open' AND t.due_on <= $1::date
	AND NOT EXISTS (SELECT 1 FROM reminder_sent rs WHERE rs.recipient = fp.email
		AND rs.item = 'task/' || t.biennium || '/' || t.cycle || '/' || t.code || '/' || t.country)`

// BenchmarkB2ReminderSweep is one sweep over b2.tasks open tasks of which
// b2.due have a reminder due, against the one statement that claims them;
// then a sweep with none due against the SELECT that finds none.
func BenchmarkB2ReminderSweep(b *testing.B) {
	ctx := context.Background()
	_, pool, st := database(b)
	seed{countries: 100, activities: *b2Tasks / 100, involved: 100, status: "in_execution"}.write(b, pool)
	openCycle(b, pool, "b2", sweepNow.AddDate(0, 0, 60), sweepNow.AddDate(0, 0, -30))
	dueActs := *b2Due / 100
	exec(b, pool, `UPDATE report_task SET due_on = $1 WHERE code <= 'A' || lpad(($2::int)::text, 5, '0')`, sweepNow.AddDate(0, 0, 7), dueActs)
	invitationLinks(b, pool)
	analyze(b, pool)
	horizon := sweepNow.AddDate(0, 0, 14)

	base := timeRuns(*repeats, func() {
		claimed := inRolledBackTx(b, pool, claimSQL, sweepNow, horizon)
		if claimed != int64(*b2Due) {
			b.Fatalf("baseline claimed %d reminders, want %d", claimed, *b2Due)
		}
	})
	sw := &reminder.Sweeper{Store: st, Logger: benchLogger(b), BaseURL: "https://bienal.example.org"}
	b.ResetTimer()
	start := time.Now()
	res, err := sw.Sweep(ctx, sweepNow)
	sweep := time.Since(start)
	b.StopTimer()
	must(b, err)
	if res.Items != *b2Due || res.Digests != 100 {
		b.Fatalf("sweep sent %+v, want %d items in 100 digests", res, *b2Due)
	}
	result(b, "B2-sweep", ms(sweep), ms(median(base)), "ms", 3, true)

	var again []time.Duration
	for range 3 {
		start := time.Now()
		res, err := sw.Sweep(ctx, sweepNow)
		again = append(again, time.Since(start))
		must(b, err)
		if res.Digests != 0 || res.Items != 0 {
			b.Fatalf("second sweep sent %+v, want nothing", res)
		}
	}
	none := timeRuns(*repeats, func() {
		if n := count(b, pool, `SELECT count(*) FROM (`+findNoneSQL+`) x`, horizon); n != 0 {
			b.Fatalf("baseline found %d due, want none", n)
		}
	})
	result(b, "B2-none-due", ms(median(again)), ms(median(none)), "ms", 2, true)
}

// invitationLinks writes the link each task's invitation gave its focal
// points, as the task workflows would have left them: a digest links an item
// not due only when its recipient holds no live link to it.
func invitationLinks(b *testing.B, pool *pgxpool.Pool) {
	exec(b, pool, `INSERT INTO link (token_hash, purpose, subject, recipient, expires_at)
		SELECT sha256(convert_to(s.subject || ' ' || fp.email, 'UTF8')), 'report', s.subject, fp.email, c.closes_on + 31
		FROM report_task t
		JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle
		JOIN focal_point fp ON fp.biennium = t.biennium AND fp.country = t.country
		CROSS JOIN LATERAL (SELECT 'task/' || t.biennium || '/' || t.cycle || '/' || t.code || '/' || t.country AS subject) s`)
}

// BenchmarkB2ReminderSweepSpread is B2 with a realistic spread: the same
// b2.tasks open tasks over 10,000 focal points (100 programmes of 100
// countries, one focal point each, 10 activities each, so 10 tasks a focal
// point), b2.due of them due, each to a different focal point.
func BenchmarkB2ReminderSweepSpread(b *testing.B) {
	ctx := context.Background()
	_, pool, st := database(b)
	const programmes = 100
	acts := *b2Tasks / programmes / 100
	exec(b, pool, `INSERT INTO country SELECT chr(65 + i / 26) || chr(65 + i % 26), 'Country ' || i FROM generate_series(0, 99) i`)
	exec(b, pool, `INSERT INTO programme (biennium, title)
		SELECT (2000 + 2 * i)::text || '-' || (2001 + 2 * i)::text, 'Programme ' || i FROM generate_series(1, $1) i`, programmes)
	exec(b, pool, `INSERT INTO goal SELECT biennium, 1, 'Digital economy' FROM programme`)
	exec(b, pool, `INSERT INTO line_of_action SELECT biennium, 1, 'Policies' FROM programme`)
	exec(b, pool, `INSERT INTO person (email, name, language, time_zone, country)
		SELECT 'fp-' || lower(c.code) || '-' || left(p.biennium, 4) || '@example.org', 'Focal point ' || c.code, 'es', 'UTC', c.code
		FROM country c CROSS JOIN programme p`)
	exec(b, pool, `INSERT INTO focal_point SELECT p.biennium, c.code, 'fp-' || lower(c.code) || '-' || left(p.biennium, 4) || '@example.org'
		FROM country c CROSS JOIN programme p`)
	exec(b, pool, `INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
		SELECT p.biennium, 'A' || lpad(i::text, 5, '0'), 1, 1, 'AA', 'Activity ' || i, 'in_execution'
		FROM programme p CROSS JOIN generate_series(1, $1) i`, acts)
	exec(b, pool, `INSERT INTO activity_country SELECT a.biennium, a.code, c.code,
		CASE WHEN c.code = 'AA' THEN 'lead' ELSE 'participant' END FROM activity a CROSS JOIN country c`)
	due := sweepNow.AddDate(0, 0, 60)
	exec(b, pool, `INSERT INTO reporting_cycle (biennium, name, title, due_on, closes_on, status)
		SELECT biennium, 'b2', 'Benchmark cycle', $1, $2, 'open' FROM programme`, due, due.AddDate(0, 2, 0))
	exec(b, pool, `INSERT INTO report_task (biennium, cycle, code, country, due_on, status, created_at)
		SELECT biennium, 'b2', code, country, $1, 'open', $2 FROM activity_country`, due, sweepNow.AddDate(0, 0, -30))
	// The first activity of each programme, in the first b2.due/100 countries.
	exec(b, pool, `UPDATE report_task SET due_on = $1 WHERE code = 'A00001'
		AND country < chr(65 + $2::int / 26) || chr(65 + $2::int % 26)`, sweepNow.AddDate(0, 0, 7), *b2Due/programmes)
	invitationLinks(b, pool)
	analyze(b, pool)
	horizon := sweepNow.AddDate(0, 0, 14)

	base := timeRuns(*repeats, func() {
		if claimed := inRolledBackTx(b, pool, claimSQL, sweepNow, horizon); claimed != int64(*b2Due) {
			b.Fatalf("baseline claimed %d reminders, want %d", claimed, *b2Due)
		}
	})
	sw := &reminder.Sweeper{Store: st, Logger: benchLogger(b), BaseURL: "https://bienal.example.org"}
	b.ResetTimer()
	start := time.Now()
	res, err := sw.Sweep(ctx, sweepNow)
	sweep := time.Since(start)
	b.StopTimer()
	must(b, err)
	if res.Items != *b2Due || res.Digests != *b2Due {
		b.Fatalf("sweep sent %+v, want %d items in as many digests", res, *b2Due)
	}
	result(b, "B2-spread-sweep", ms(sweep), ms(median(base)), "ms", 3, true)
}

// BenchmarkB6Dashboard is the secretariat's dashboard over b6.tasks tasks,
// from the store and over HTTP, against its three SQL statements run directly.
func BenchmarkB6Dashboard(b *testing.B) {
	ctx := context.Background()
	_, pool, st := database(b)
	seed{countries: 10, activities: *b6Tasks / 10, involved: 10, status: "in_execution"}.write(b, pool)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	openCycle(b, pool, "b6", today.AddDate(0, 0, 30), today.AddDate(0, 0, -30))
	// A tenth overdue, a tenth submitted: the page lists and counts both.
	exec(b, pool, `UPDATE report_task SET due_on = $1 WHERE code < 'A' || lpad(($2::int)::text, 5, '0')`, today.AddDate(0, 0, -10), *b6Tasks/100+1)
	exec(b, pool, `UPDATE report_task SET status = 'submitted' WHERE code > 'A' || lpad(($1::int)::text, 5, '0')`, *b6Tasks/10-*b6Tasks/100)
	exec(b, pool, `INSERT INTO person (email, name, language) VALUES ('sec@example.org', 'Secretariat', 'en')`)
	exec(b, pool, `INSERT INTO secretariat_user (email) VALUES ('sec@example.org')`)
	analyze(b, pool)

	base := timeRuns(*repeats, func() {
		for _, q := range store.DashboardSQL(today) {
			readAll(b, pool, q.SQL, q.Args...)
		}
	})
	fromStore := timeRuns(*repeats, func() {
		d, err := st.Dashboard(ctx, today)
		must(b, err)
		if len(d.Goals) != 1 || d.Goals[0].Total != *b6Tasks/10 || d.Goals[0].AttentionTotal != *b6Tasks/100 ||
			len(d.Cycles) != 1 || d.Cycles[0].Total != *b6Tasks {
			b.Fatalf("dashboard shows %d goals and %d cycles", len(d.Goals), len(d.Cycles))
		}
	})
	h, err := web.New(web.Options{Store: st, Temporal: noTemporal{}, Logger: benchLogger(b), BaseURL: "http://127.0.0.1"})
	must(b, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(b, err)
	serve(b, h, ln)
	session, err := st.CreateSession(ctx, "sec@example.org", time.Now(), time.Now().Add(time.Hour))
	must(b, err)
	page := timeRuns(*repeats, func() {
		req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/", nil)
		req.AddCookie(&http.Cookie{Name: "bienal_session", Value: session})
		body := fetch(b, req)
		// Per goal the page counts every activity and lists those needing attention.
		if !strings.Contains(string(body), fmt.Sprintf("</a>: %d</li>", *b6Tasks/10)) ||
			!strings.Contains(string(body), `<a href="/activities/2025-2026/A00001">`) {
			b.Fatalf("dashboard page of %d bytes lacks the count of %d activities or the overdue A00001", len(body), *b6Tasks/10)
		}
	})
	result(b, "B6-store", ms(median(fromStore)), ms(median(base)), "ms", 2, true)
	result(b, "B6-page", ms(median(page)), ms(median(base)), "ms", 2, true)
}

// The dashboard's statements as store.Dashboard runs them.
// noTemporal stands in for the Temporal client where a page never calls it.
type noTemporal struct{ web.Temporal }

// timeRuns times n runs of f.
func timeRuns(n int, f func()) []time.Duration {
	ds := make([]time.Duration, n)
	for i := range n {
		start := time.Now()
		f()
		ds[i] = time.Since(start)
	}
	return ds
}

// inRolledBackTx runs one statement in a transaction it rolls back, so the
// baseline leaves the rows for the subject, and returns the rows affected.
func inRolledBackTx(b *testing.B, pool *pgxpool.Pool, sql string, args ...any) int64 {
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	must(b, err)
	defer func() { _ = tx.Rollback(ctx) }()
	tag, err := tx.Exec(ctx, sql, args...)
	must(b, err)
	return tag.RowsAffected()
}

// readAll runs a query and decodes every row.
func readAll(b *testing.B, pool *pgxpool.Pool, sql string, args ...any) int {
	rows, err := pool.Query(context.Background(), sql, args...)
	must(b, err)
	defer rows.Close()
	n := 0
	for rows.Next() {
		if _, err := rows.Values(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	must(b, rows.Err())
	return n
}
