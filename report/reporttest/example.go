package reporttest

import (
	"context"
	"testing"

	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
)

// ExampleCycle imports the programme file at path (the example programme,
// examples/programme-2017-2018.yaml) and writes a closed cycle "final" on
// it: a task per activity and country, every one reported but the last two
// (by activity code and country), which are missing; the first accepted.
// It keeps the report's rows as the cycle's workflow would at its close.
func ExampleCycle(t testing.TB, s *store.Store, db store.DB, path string) {
	t.Helper()
	ctx := context.Background()
	data, err := programme.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	f, err := programme.Parse(data)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	res, err := s.ImportProgramme(ctx, f)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	for _, q := range exampleSQL {
		if _, err := db.Exec(ctx, q, res.Biennium); err != nil {
			t.Fatalf("write the example cycle: %v", err)
		}
	}
	if err := s.SaveReportSnapshot(ctx, res.Biennium, "final"); err != nil {
		t.Fatalf("keep the example cycle's report: %v", err)
	}
}

var exampleSQL = []string{
	`UPDATE activity SET status = 'in_execution' WHERE biennium = $1 AND status = 'approved'`,
	`INSERT INTO reporting_cycle (biennium, name, title, due_on, closes_on, status, closed_at)
		VALUES ($1, 'final', 'Final report', '2018-10-31', '2018-11-30', 'closed', '2018-11-30T23:59:00Z')`,
	`INSERT INTO report_task (biennium, cycle, code, country, due_on, status)
		SELECT biennium, 'final', code, country, '2018-10-31',
			CASE WHEN row_number() OVER (ORDER BY code DESC, country DESC) <= 2 THEN 'missing' ELSE 'submitted' END
		FROM activity_country WHERE biennium = $1`,
	`INSERT INTO submission (biennium, cycle, code, country, version, status, progress, results, difficulties, next_steps,
			submitted_by, counted, submitted_at)
		SELECT t.biennium, t.cycle, t.code, t.country, 1, 'on_track', 'Progress of ' || t.code || ' in ' || t.country,
			'Workshop held', 'None', 'Continue', lower(t.country) || '@example.org', true, '2018-10-20T12:00:00Z'
		FROM report_task t WHERE t.biennium = $1 AND t.cycle = 'final' AND t.status = 'submitted'`,
	`UPDATE report_task SET status = 'accepted' WHERE (biennium, cycle, code, country) =
		(SELECT biennium, cycle, code, country FROM report_task WHERE biennium = $1 AND cycle = 'final' AND status = 'submitted'
		 ORDER BY code, country LIMIT 1)`,
}
