package bench

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

const biennium = "2025-2026"

// seed describes a programme written straight into Postgres with
// generate_series: seeding 100,000 tasks through the workflows would take
// longer than the benchmarks themselves.
type seed struct {
	countries  int    // countries, each with one focal point fp-<cc>@example.org
	activities int    // activities A00001...
	involved   int    // the first countries, which every activity involves (lead: AA)
	status     string // status of every activity
}

// countryCode is the i-th code AA, AB, ... ZZ.
func countryCode(i int) string { return string([]byte{byte('A' + i/26), byte('A' + i%26)}) }

// focalPoint is the address of the focal point of country cc.
func focalPoint(cc string) string {
	return "fp-" + string([]byte{cc[0] + 'a' - 'A', cc[1] + 'a' - 'A'}) + "@example.org"
}

func (s seed) write(b *testing.B, pool *pgxpool.Pool) {
	b.Helper()
	exec(b, pool, `INSERT INTO programme (biennium, title) VALUES ($1, 'Benchmark programme')`, biennium)
	exec(b, pool, `INSERT INTO goal VALUES ($1, 1, 'Digital economy')`, biennium)
	exec(b, pool, `INSERT INTO line_of_action VALUES ($1, 1, 'Policies')`, biennium)
	exec(b, pool, `INSERT INTO country SELECT chr(65 + i / 26) || chr(65 + i % 26), 'Country ' || i
		FROM generate_series(0, $1 - 1) i`, s.countries)
	exec(b, pool, `INSERT INTO person (email, name, language, time_zone, country)
		SELECT 'fp-' || lower(code) || '@example.org', 'Focal point ' || code, 'es', 'UTC', code FROM country`)
	exec(b, pool, `INSERT INTO focal_point SELECT $1, code, 'fp-' || lower(code) || '@example.org' FROM country`, biennium)
	exec(b, pool, `INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status)
		SELECT $1, 'A' || lpad(i::text, 5, '0'), 1, 1, 'AA', 'Activity ' || i, $3 FROM generate_series(1, $2) i`,
		biennium, s.activities, s.status)
	exec(b, pool, `INSERT INTO activity_country
		SELECT a.biennium, a.code, c.code, CASE WHEN c.code = 'AA' THEN 'lead' ELSE 'participant' END
		FROM activity a CROSS JOIN (SELECT code FROM country ORDER BY code LIMIT $1) c`, s.involved)
}

// openCycle writes an open cycle and one open task per activity and
// involved country, due on due, as `bienal cycle open` and the task
// workflows would have left them.
func openCycle(b *testing.B, pool *pgxpool.Pool, name string, due, created time.Time) {
	b.Helper()
	exec(b, pool, `INSERT INTO reporting_cycle (biennium, name, title, due_on, closes_on, status)
		VALUES ($1, $2, 'Benchmark cycle', $3, $4, 'open')`, biennium, name, due, due.AddDate(0, 2, 0))
	exec(b, pool, `INSERT INTO report_task (biennium, cycle, code, country, due_on, status, created_at)
		SELECT biennium, $2, code, country, $3, 'open', $4 FROM activity_country WHERE biennium = $1`,
		biennium, name, due, created)
}

func analyze(b *testing.B, pool *pgxpool.Pool) { exec(b, pool, `ANALYZE`) }

func exec(b *testing.B, pool *pgxpool.Pool, sql string, args ...any) {
	b.Helper()
	if _, err := pool.Exec(context.Background(), sql, args...); err != nil {
		b.Fatalf("%v\n%s", err, sql)
	}
}
