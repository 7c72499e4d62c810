package storetest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// SmallProgramme seeds the programme most tests need: biennium 2017-2018
// with goal 1 and line of action 1, Chile and Mexico with a focal point
// each (Chile's reads English, Mexico's Portuguese), activity A1 led by
// Chile in execution, and cycle "mid" open with a task for each country
// (Chile's due 2026-03-20, Mexico's 2026-03-01; the cycle closes 2026-04-30).
func SmallProgramme(t testing.TB, pool *pgxpool.Pool) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `
		INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Programme');
		INSERT INTO goal VALUES ('2017-2018', 1, 'Goal one');
		INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Line one');
		INSERT INTO country VALUES ('CL', 'Chile'), ('MX', 'Mexico');
		INSERT INTO person (email, name, language, country) VALUES
			('fp.cl@example.org', 'Focal Chile', 'en', 'CL'),
			('fp.mx@example.org', 'Focal Mexico', 'pt', 'MX');
		INSERT INTO focal_point VALUES ('2017-2018', 'CL', 'fp.cl@example.org'), ('2017-2018', 'MX', 'fp.mx@example.org');
		INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status) VALUES
			('2017-2018', 'A1', 1, 1, 'CL', 'Digital agenda', 'in_execution');
		INSERT INTO reporting_cycle (biennium, name, due_on, closes_on, status) VALUES
			('2017-2018', 'mid', '2026-03-20', '2026-04-30', 'open');
		INSERT INTO report_task (biennium, cycle, code, country, due_on, status) VALUES
			('2017-2018', 'mid', 'A1', 'CL', '2026-03-20', 'open'),
			('2017-2018', 'mid', 'A1', 'MX', '2026-03-01', 'open');`)
	require.NoError(t, err)
}
