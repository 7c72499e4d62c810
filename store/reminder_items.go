package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

const reminderPolicyCols = `pr.reminder_days_before, pr.reminder_on_due, pr.reminder_overdue_every_days, pr.reminder_overdue_max`

// Each row carries the stages already reminded of for its recipient and
// item, so one statement says both what is open and what was sent.
const (
	taskItemSQL    = `'task/' || t.biennium || '/' || t.cycle || '/' || t.code || '/' || t.country`
	voteItemSQL    = `'vote/' || r.biennium || '/' || r.code || '/' || r.round`
	castingItemSQL = `'casting/' || r.biennium || '/' || r.code || '/' || r.round`
)

// sentStagesSQL opens the array of stages sent; the item expression and ")" close it.
const sentStagesSQL = `ARRAY(SELECT rs.stage FROM reminder_sent rs WHERE rs.recipient = pe.email AND rs.item = `

// whoSQL lists, for a person holding a role (email expression h), that
// person and whoever they named while away at the sweep's time ($1):
// a delegation sends reminders to the delegate, with a copy to the person.
func whoSQL(h string) string {
	return `JOIN LATERAL (SELECT ` + h + ` AS email, ''::text AS for_email
	UNION ALL SELECT g.delegate, g.person FROM delegation g WHERE g.person = ` + h + ` AND g.ended_at IS NULL
		AND ` + delegationOnSQL("$1::timestamptz") + `) who ON true
JOIN person pe ON pe.email = who.email
LEFT JOIN person pf ON pf.email = who.for_email`
}

// Open tasks of open cycles, one row per focal point of the task's
// country, and per delegate of one.
var reminderTasksSQL = `SELECT pe.email, pe.name, pe.language, pe.time_zone, 'task', t.biennium, t.cycle, t.code, t.country, 0,
	` + joinedTitleSQL("at", "a.title") + `, t.due_on, NULL::timestamptz, t.created_at, c.closes_on, ` + reminderPolicyCols + `,
	` + taskItemSQL + `, ` + sentStagesSQL + taskItemSQL + `), COALESCE(pf.name, '')
FROM report_task t
JOIN reporting_cycle c ON c.biennium = t.biennium AND c.name = t.cycle
JOIN activity a ON a.biennium = t.biennium AND a.code = t.code
` + titlesJoinSQL("at", "a.biennium", activitySubject("a")) + `
JOIN focal_point fp ON fp.biennium = t.biennium AND fp.country = t.country
` + whoSQL("fp.email") + `
JOIN programme pr ON pr.biennium = t.biennium
WHERE t.status IN ('open', 'overdue', 'clarification_requested') AND c.status = 'open'`

// Undecided rounds still open, one row per delegate (and delegate of one)
// of each seat entitled to vote that has not voted.
var reminderVotesSQL = `SELECT pe.email, pe.name, pe.language, pe.time_zone, 'vote', r.biennium, '', r.code, '', r.round,
	` + joinedTitleSQL("at", "a.title") + `, NULL::date, r.closes_at, r.opened_at, NULL::date, ` + reminderPolicyCols + `,
	` + voteItemSQL + `, ` + sentStagesSQL + voteItemSQL + `), COALESCE(pf.name, '')
FROM review_round r
JOIN round_seat rs ON rs.biennium = r.biennium AND rs.code = r.code AND rs.round = r.round
JOIN seat_delegate sd ON sd.biennium = r.biennium AND sd.country = rs.country
JOIN activity a ON a.biennium = r.biennium AND a.code = r.code
` + titlesJoinSQL("at", "a.biennium", activitySubject("a")) + `
` + whoSQL("sd.email") + `
JOIN programme pr ON pr.biennium = r.biennium
WHERE r.outcome IS NULL AND NOT rs.recused AND r.closes_at > $1
AND NOT EXISTS (SELECT 1 FROM vote v WHERE v.biennium = r.biennium AND v.code = r.code
	AND v.round = r.round AND v.seat = rs.country AND NOT v.casting)`

// Rounds waiting for the Chair's casting vote, one row per delegate of the
// Chair's seat.
var reminderCastingSQL = `SELECT pe.email, pe.name, pe.language, pe.time_zone, 'casting', r.biennium, '', r.code, '', r.round,
	` + joinedTitleSQL("at", "a.title") + `, NULL::date, r.closes_at, r.opened_at, NULL::date, ` + reminderPolicyCols + `,
	` + castingItemSQL + `, ` + sentStagesSQL + castingItemSQL + `), COALESCE(pf.name, '')
FROM review_round r
JOIN round_seat rs ON rs.biennium = r.biennium AND rs.code = r.code AND rs.round = r.round AND rs.role = 'chair'
JOIN seat_delegate sd ON sd.biennium = r.biennium AND sd.country = rs.country
JOIN activity a ON a.biennium = r.biennium AND a.code = r.code
` + titlesJoinSQL("at", "a.biennium", activitySubject("a")) + `
` + whoSQL("sd.email") + `
JOIN programme pr ON pr.biennium = r.biennium
WHERE r.outcome IS NULL AND r.awaiting_casting
AND NOT EXISTS (SELECT 1 FROM vote v WHERE v.biennium = r.biennium AND v.code = r.code
	AND v.round = r.round AND v.seat = rs.country AND v.casting)`

// Candidate conditions: only items whose first stage may have been reached
// at the sweep. Every stage of an item lies on or after due - max(days_before)
// (reminderBounds computes the bounds), so the partial index report_task_open
// reads just those tasks. Bounds passed as values, not computed in the
// statement, let the planner see how few rows match: with a bound it cannot
// see it expects a third of all open tasks and spends more time compiling the
// query (JIT) than running it.
const (
	taskCandidateSQL = ` AND t.due_on <= $2::date`
	voteCandidateSQL = ` AND r.closes_at < $3::timestamptz`
)

// reminderBounds returns the latest due date of a task, and the latest end
// of a voting period, that a sweep at now may have to remind of: the largest
// days_before of any programme ahead of the sweep's UTC date, plus one day
// because a recipient's local date is at most a day after the UTC one, and
// for a vote two more because its local closing date may be a day either
// side of its UTC one. Overdue items lie before the bounds, so they pass;
// Go then computes each exact stage.
func (s *Store) reminderBounds(ctx context.Context, now time.Time) (time.Time, time.Time, error) {
	var days int
	err := s.db.QueryRow(ctx, `SELECT coalesce(max(d), 0) FROM programme, unnest(reminder_days_before) d`).Scan(&days)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("read reminder horizon: %w", err)
	}
	return civilDate(now.UTC()).AddDate(0, 0, days+1), now.AddDate(0, 0, days+3), nil
}

// reminderSQL is the one statement reading open items: tasks, votes and
// casting votes, each narrowed by its condition.
func reminderSQL(taskCond, voteCond string) string {
	return reminderTasksSQL + taskCond + "\nUNION ALL\n" + reminderVotesSQL + voteCond +
		"\nUNION ALL\n" + reminderCastingSQL + voteCond
}

func scanReminderRow(row pgx.CollectableRow) (reminderRow, error) {
	var r reminderRow
	dst := append([]any{&r.Recipient, &r.Name, &r.Language, &r.TimeZone, &r.Kind, &r.Biennium, &r.Cycle, &r.Code,
		&r.Country, &r.Round}, scanTitle(&r.Title)...)
	err := row.Scan(append(dst, &r.dueOn, &r.closesAt, &r.created, &r.cycleEnds,
		&r.policy.DaysBefore, &r.policy.OnDue, &r.policy.OverdueEveryDays, &r.policy.OverdueMax, &r.Item, &r.sent, &r.For)...)
	return r, err
}

// linkGrace keeps a task's link working a while after its cycle closes, and
// the Chair's after the voting period, for late answers the secretariat accepts.
const linkGrace = 30 * 24 * time.Hour

// OpenReminderItems returns every open item of every recipient at now, with
// the latest stage reached and whether it was already reminded. Stages are
// computed from the item's current due date, so an extension moves them.
// It reads every open item: the sweep uses ReminderDigests.
func (s *Store) OpenReminderItems(ctx context.Context, now time.Time) ([]ReminderItem, error) {
	return s.reminderItems(ctx, "open items", now, reminderSQL("", ""), now)
}

// DueReminders returns the (recipient, item, stage) a sweep at now must send:
// reached and not yet in reminder_sent. It reads only the items whose first
// stage may have been reached, so its cost follows what is due, not what is open.
func (s *Store) DueReminders(ctx context.Context, now time.Time) ([]ReminderItem, error) {
	taskBound, voteBound, err := s.reminderBounds(ctx, now)
	if err != nil {
		return nil, err
	}
	items, err := s.reminderItems(ctx, "candidate items", now,
		reminderSQL(taskCandidateSQL, voteCandidateSQL), now, taskBound, voteBound)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(items, func(it ReminderItem) bool { return !it.Due() }), nil
}

// ReminderDigests returns what the digests of a sweep at now list: every
// open item, due or not, of every recipient with a reminder due, sorted by
// recipient. A sweep with nothing due costs one read of the candidates.
func (s *Store) ReminderDigests(ctx context.Context, now time.Time) ([]ReminderItem, error) {
	due, err := s.DueReminders(ctx, now)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	var recipients []string
	dueNow := make(map[ReminderKey]bool, len(due))
	for _, it := range due {
		if len(recipients) == 0 || recipients[len(recipients)-1] != it.Recipient {
			recipients = append(recipients, it.Recipient)
		}
		dueNow[ReminderKey{Recipient: it.Recipient, Item: it.Item, Stage: it.Stage}] = true
	}
	// A recipient may have a thousand open items: the planner then prices the
	// statement above jit_above_cost and spends a second compiling it (more
	// than running it, measured on B2), so this statement runs without JIT.
	var items []ReminderItem
	cond := ` AND pe.email = ANY($2)`
	err = s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `SET LOCAL jit = off`); err != nil {
			return fmt.Errorf("read open items of reminded recipients: %w", err)
		}
		items, err = tx.reminderItems(ctx, "open items of reminded recipients", now,
			withoutSentStages(reminderSQL(cond, cond)), now, recipients)
		return err
	})
	// What is due is known already: the statement skips reading, for each of
	// a thousand items, the stages sent. An item with a stage that was not
	// due had that stage sent.
	for i, it := range items {
		items[i].Sent = it.Stage != "" && !dueNow[ReminderKey{Recipient: it.Recipient, Item: it.Item, Stage: it.Stage}]
	}
	return items, err
}

// withoutSentStages replaces, in a reminder statement, the stages sent of
// each item by an empty list.
func withoutSentStages(sql string) string {
	for _, item := range []string{taskItemSQL, voteItemSQL, castingItemSQL} {
		sql = strings.Replace(sql, sentStagesSQL+item+")", "'{}'::text[]", 1)
	}
	return sql
}

// reminderItems runs one reminder statement and stages its rows, sorted by
// recipient, due date and item.
func (s *Store) reminderItems(ctx context.Context, what string, now time.Time, sql string, args ...any) ([]ReminderItem, error) {
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s for reminders: %w", what, err)
	}
	got, err := pgx.CollectRows(rows, scanReminderRow)
	if err != nil {
		return nil, fmt.Errorf("read %s for reminders: %w", what, err)
	}
	// Zones are loaded once per statement: LoadLocation reads the zone file
	// on every call, and a thousand rows share a handful of zones.
	zones := map[string]*time.Location{}
	items := make([]ReminderItem, len(got))
	for i, r := range got {
		items[i] = r.withStage(now, zones)
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Recipient != b.Recipient {
			return a.Recipient < b.Recipient
		}
		if !a.DueOn.Equal(b.DueOn) {
			return a.DueOn.Before(b.DueOn)
		}
		if a.Item != b.Item {
			return a.Item < b.Item
		}
		return a.For < b.For
	})
	// One line per recipient and item: someone who holds an item and also
	// acts for another holder of it reads it once, as their own.
	return slices.CompactFunc(items, func(a, b ReminderItem) bool {
		return a.Recipient == b.Recipient && a.Item == b.Item
	}), nil
}

// withStage places the row in the recipient's zone and computes its stage.
func (r reminderRow) withStage(now time.Time, zones map[string]*time.Location) ReminderItem {
	it := r.ReminderItem
	loc, ok := zones[it.TimeZone]
	if !ok {
		var err error
		if loc, err = time.LoadLocation(it.TimeZone); err != nil || it.TimeZone == "" {
			loc = nil
		}
		zones[it.TimeZone] = loc
	}
	if loc == nil {
		loc, it.TimeZoneInvalid = time.UTC, true
	}
	it.Location = loc
	switch it.Kind {
	case ReminderTask:
		it.DueOn = civilDate(*r.dueOn)
		it.LinkExpires = r.cycleEnds.AddDate(0, 0, 1).Add(linkGrace)
	default:
		it.ClosesAt = *r.closesAt
		it.DueOn = civilDate(r.closesAt.In(loc))
		it.LinkExpires = *r.closesAt
		if it.Kind == ReminderCasting {
			it.LinkExpires = r.closesAt.Add(linkGrace)
		}
	}
	// An ordinary vote cannot be cast after its period ends: no overdue stages.
	today := civilDate(now.In(loc))
	it.Overdue = today.After(it.DueOn)
	stage := r.policy.Stage(it.DueOn, civilDate(r.created.In(loc)), today, it.Kind != ReminderVote)
	if stage != "" {
		it.Stage = stage + "@" + it.DueOn.Format(time.DateOnly)
		it.Sent = slices.Contains(r.sent, it.Stage)
	}
	return it
}
