// Package reporttest writes the rows of a closed reporting cycle - submitted,
// late, waived and missing tasks under three goals - so the store, report and
// activities tests check one known report.
package reporttest

import (
	"context"
	"testing"

	"github.com/bienal/bienal/store"
)

// Biennium and Cycle name the seeded cycle.
const (
	Biennium = "2017-2018"
	Cycle    = "final"
)

// Script is a narrative a focal point could type to attack the report's readers.
const Script = `<script>alert("x")</script>`

// Seed writes a programme with three goals, five activities in the cycle (and
// one rejected, outside it), ten report tasks (six reported, two of them
// late: one accepted after a clarification, one sent back for clarification,
// four awaiting review; one waived, three missing) and two secretariat
// users. Activity A3.1's lead did not report while its participant did.
func Seed(t testing.TB, db store.DB) {
	t.Helper()
	if _, err := db.Exec(context.Background(), seedSQL); err != nil {
		t.Fatalf("seed report rows: %v", err)
	}
}

const seedSQL = `
INSERT INTO programme (biennium, title) VALUES ('2017-2018', 'Biennial programme of the Conference on Science, Innovation and ICTs');
INSERT INTO goal VALUES ('2017-2018', 1, 'Strengthen innovation policies'),
	('2017-2018', 2, 'Promote the digital economy'), ('2017-2018', 3, 'Build capacities');
INSERT INTO line_of_action VALUES ('2017-2018', 1, 'Science, technology and innovation');
INSERT INTO country VALUES ('AR', 'Argentina'), ('BR', 'Brazil'), ('CL', 'Chile'), ('MX', 'Mexico'), ('UY', 'Uruguay');
INSERT INTO person (email, name, language) VALUES ('ana@cepal.org', 'Ana Secretaria', 'es'), ('bob@cepal.org', 'Bob Secretariat', 'en');
INSERT INTO secretariat_user (email) VALUES ('ana@cepal.org'), ('bob@cepal.org');
INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status, expected_outputs) VALUES
	('2017-2018', 'A1.10', 1, 1, 'MX', 'Regional innovation survey', 'in_execution', '{"Survey report"}'),
	('2017-2018', 'A1.2', 1, 1, 'BR', 'Network of science parks', 'in_execution', '{"Network charter","Two workshops"}'),
	('2017-2018', 'A2.1', 2, 1, 'CL', 'Digital agenda eLAC', 'in_execution', '{}'),
	('2017-2018', 'A2.2', 2, 1, 'AR', 'Broadband observatory', 'completed', '{}'),
	('2017-2018', 'A3.1', 3, 1, 'UY', 'Training in <b>data</b> science', 'in_execution', '{}'),
	('2017-2018', 'A3.9', 3, 1, 'UY', 'Rejected idea', 'rejected', '{}');
INSERT INTO activity_country VALUES
	('2017-2018', 'A1.10', 'MX', 'lead'), ('2017-2018', 'A1.10', 'AR', 'participant'),
	('2017-2018', 'A1.2', 'BR', 'lead'), ('2017-2018', 'A1.2', 'CL', 'participant'), ('2017-2018', 'A1.2', 'UY', 'participant'),
	('2017-2018', 'A2.1', 'CL', 'lead'),
	('2017-2018', 'A2.2', 'AR', 'lead'), ('2017-2018', 'A2.2', 'MX', 'participant'),
	('2017-2018', 'A3.1', 'UY', 'lead'), ('2017-2018', 'A3.1', 'BR', 'participant'),
	('2017-2018', 'A3.9', 'UY', 'lead');
INSERT INTO reporting_cycle (biennium, name, title, due_on, closes_on, status, closed_at)
	VALUES ('2017-2018', 'final', 'Final report 2017-2018', '2018-06-30', '2018-07-31', 'closed', '2018-07-31T23:59:00Z');
INSERT INTO report_task (biennium, cycle, code, country, due_on, status, late, waive_reason) VALUES
	('2017-2018', 'final', 'A1.10', 'MX', '2018-07-20', 'clarification_requested', false, NULL),
	('2017-2018', 'final', 'A1.10', 'AR', '2018-06-30', 'missing', false, NULL),
	('2017-2018', 'final', 'A1.2', 'BR', '2018-07-04', 'accepted', true, NULL),
	('2017-2018', 'final', 'A1.2', 'CL', '2018-06-30', 'waived', false, 'No activity in Chile in 2018'),
	('2017-2018', 'final', 'A1.2', 'UY', '2018-06-30', 'submitted', false, NULL),
	('2017-2018', 'final', 'A2.1', 'CL', '2018-06-30', 'submitted', false, NULL),
	('2017-2018', 'final', 'A2.2', 'AR', '2018-06-30', 'submitted', false, NULL),
	('2017-2018', 'final', 'A2.2', 'MX', '2018-06-30', 'missing', false, NULL),
	('2017-2018', 'final', 'A3.1', 'UY', '2018-06-30', 'missing', false, NULL),
	('2017-2018', 'final', 'A3.1', 'BR', '2018-07-15', 'submitted', false, NULL);
INSERT INTO submission (biennium, cycle, code, country, version, status, progress, results, difficulties, next_steps, submitted_by, late, counted, submitted_at) VALUES
	('2017-2018', 'final', 'A1.10', 'MX', 1, 'on_track', 'Survey fielded in 18 countries', 'Draft tables', 'None', 'Publish', 'mx@gob.mx', false, true, '2018-06-20T10:00:00Z'),
	('2017-2018', 'final', 'A1.2', 'BR', 1, 'on_track', 'Old progress text', 'Old results', '', '', 'br@gov.br', true, false, '2018-07-02T10:00:00Z'),
	('2017-2018', 'final', 'A1.2', 'BR', 2, 'delayed', 'Charter signed by four parks', 'One workshop held', 'Funding cut', 'Second workshop in 2019', 'br@gov.br', true, true, '2018-07-05T10:00:00Z'),
	('2017-2018', 'final', 'A1.2', 'UY', 1, 'on_track', 'Joined the network ' || '` + Script + `', 'Parks | incubators' || chr(10) || 'second line', '', 'Host a visit', 'uy@gub.uy', false, true, '2018-06-29T10:00:00Z'),
	('2017-2018', 'final', 'A2.1', 'CL', 1, 'completed', 'Agenda adopted', '=SUM(A1:A2)', '', '', 'cl@gob.cl', false, true, '2018-06-10T10:00:00Z'),
	('2017-2018', 'final', 'A2.2', 'AR', 1, 'completed', 'Observatory online', 'Portal launched', '', '', 'ar@gob.ar', false, true, '2018-06-01T10:00:00Z'),
	('2017-2018', 'final', 'A3.1', 'BR', 1, 'not_started', 'Postponed', '', 'No trainers', 'Start in 2019', 'br@gov.br', true, true, '2018-07-20T10:00:00Z');
INSERT INTO task_review (biennium, cycle, code, country, submission_id, decision, comment, due_on, reviewed_by, reviewed_at)
SELECT s.biennium, s.cycle, s.code, s.country, s.id, v.decision, v.comment, v.due_on::date, 'ana@cepal.org', v.at::timestamptz
FROM (VALUES ('A1.2', 'BR', 1, 'clarification_requested', 'Please give the dates of the workshops', '2018-07-04', '2018-07-03T09:00:00Z'),
		('A1.2', 'BR', 2, 'accepted', 'Thank you', NULL, '2018-07-06T09:00:00Z'),
		('A1.10', 'MX', 1, 'clarification_requested', 'Which 18 countries?', '2018-07-20', '2018-06-25T09:00:00Z'))
	AS v (code, country, version, decision, comment, due_on, at)
JOIN submission s ON s.biennium = '2017-2018' AND s.cycle = 'final' AND s.code = v.code AND s.country = v.country AND s.version = v.version;
`

// SeedLarge writes a closed cycle "2019-2020/final" of n activities with
// three countries each (3n tasks, two of every three submitted), for benchmarks.
func SeedLarge(t testing.TB, db store.DB, n int) {
	t.Helper()
	for _, q := range largeSQL {
		if _, err := db.Exec(context.Background(), q, n); err != nil {
			t.Fatalf("seed %d activities: %v", n, err)
		}
	}
}

// Each statement takes $1, the number of activities, so all run alike.
var largeSQL = []string{
	`INSERT INTO programme (biennium, title) SELECT '2019-2020', 'Large programme of ' || $1::int || ' activities'`,
	`INSERT INTO goal SELECT '2019-2020', g, 'Goal ' || g FROM generate_series(1, 3 + 0 * $1::int) g`,
	`INSERT INTO line_of_action SELECT '2019-2020', 1, 'Line ' || $1::int`,
	`INSERT INTO country SELECT * FROM (VALUES ('PE', 'Peru'), ('CO', 'Colombia'), ('EC', 'Ecuador')) v WHERE $1::int > 0 ON CONFLICT DO NOTHING`,
	`INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title, status, expected_outputs)
		SELECT '2019-2020', 'L' || i, i % 3 + 1, 1, 'PE', 'Activity number ' || i, 'in_execution', '{"An output"}'
		FROM generate_series(1, $1::int) i`,
	`INSERT INTO activity_country SELECT '2019-2020', 'L' || i, c, CASE c WHEN 'PE' THEN 'lead' ELSE 'participant' END
		FROM generate_series(1, $1::int) i, unnest('{PE,CO,EC}'::text[]) c`,
	`INSERT INTO reporting_cycle (biennium, name, due_on, closes_on, status)
		SELECT '2019-2020', 'final', '2020-06-30', '2020-07-31', 'closed' WHERE $1::int > 0`,
	`INSERT INTO report_task (biennium, cycle, code, country, due_on, status)
		SELECT '2019-2020', 'final', 'L' || i, c, '2020-06-30', CASE c WHEN 'EC' THEN 'missing' ELSE 'submitted' END
		FROM generate_series(1, $1::int) i, unnest('{PE,CO,EC}'::text[]) c`,
	`INSERT INTO submission (biennium, cycle, code, country, version, status, progress, results, difficulties, next_steps, submitted_by, counted)
		SELECT '2019-2020', 'final', 'L' || i, c, 1, 'on_track', repeat('Progress narrative. ', 20), repeat('Results. ', 20),
			'Some difficulties', 'Next steps', lower(c) || '@example.org', true
		FROM generate_series(1, $1::int) i, unnest('{PE,CO}'::text[]) c`,
}

// SeedEvidence attaches files to the seeded cycle's reports: two to Brazil's
// report on A1.2 (the first sent with both versions, the second, a name a
// spreadsheet would take for a formula, with the second) and one to Chile's
// on A2.1. It stores no bytes: the report lists files, it does not read them.
func SeedEvidence(t testing.TB, db store.DB) {
	t.Helper()
	if _, err := db.Exec(context.Background(), evidenceSQL); err != nil {
		t.Fatalf("seed evidence rows: %v", err)
	}
}

const evidenceSQL = `
INSERT INTO evidence_file (biennium, cycle, code, country, sha256, content_type, size) VALUES
	('2017-2018', 'final', 'A1.2', 'BR', repeat('a1', 32), 'application/pdf', 123456),
	('2017-2018', 'final', 'A1.2', 'BR', repeat('b2', 32), 'image/png', 2048),
	('2017-2018', 'final', 'A2.1', 'CL', repeat('c3', 32), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 30000000);
INSERT INTO attachment (submission_id, file_id, name, uploaded_by, uploaded_at)
SELECT s.id, f.id, v.name, s.submitted_by, s.submitted_at
FROM (VALUES ('A1.2', 'BR', 1, 'a1', 'Carta firmada.pdf'), ('A1.2', 'BR', 2, 'a1', 'Carta firmada.pdf'),
		('A1.2', 'BR', 2, 'b2', '=foto.png'), ('A2.1', 'CL', 1, 'c3', 'R&D plan.docx')) AS v (code, country, version, h, name)
JOIN submission s ON s.biennium = '2017-2018' AND s.cycle = 'final' AND s.code = v.code AND s.country = v.country AND s.version = v.version
JOIN evidence_file f ON f.code = v.code AND f.country = v.country AND f.sha256 = repeat(v.h, 32);
`
