package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bienal/bienal/cooperation"
)

// ReminderPolicy says when focal points and committee members are reminded of
// an open item: some days before its due date, on it, then every few days
// after it, a bounded number of times. One policy per programme.
type ReminderPolicy struct {
	DaysBefore       []int `json:"days_before"`
	OnDue            bool  `json:"on_due"`
	OverdueEveryDays int   `json:"overdue_every_days"`
	OverdueMax       int   `json:"overdue_max"`
}

// DefaultReminderPolicy is the policy a new programme starts with.
var DefaultReminderPolicy = ReminderPolicy{DaysBefore: []int{14, 7, 2}, OnDue: true, OverdueEveryDays: 7, OverdueMax: 3}

// Validate names the first field that the database would refuse or that
// makes no sense as a reminder schedule.
func (p ReminderPolicy) Validate() error {
	seen := map[int]bool{}
	for _, d := range p.DaysBefore {
		if d < 1 || d > 365 {
			return fmt.Errorf("reminder policy: days_before %d must be between 1 and 365", d)
		}
		if seen[d] {
			return fmt.Errorf("reminder policy: days_before %d appears twice", d)
		}
		seen[d] = true
	}
	if p.OverdueEveryDays < 1 || p.OverdueEveryDays > 90 {
		return fmt.Errorf("reminder policy: overdue_every_days %d must be between 1 and 90", p.OverdueEveryDays)
	}
	if p.OverdueMax < 0 || p.OverdueMax > 50 {
		return fmt.Errorf("reminder policy: overdue_max %d must be between 0 and 50", p.OverdueMax)
	}
	return nil
}

// GetReminderPolicy returns the policy of the programme for biennium.
func (s *Store) GetReminderPolicy(ctx context.Context, biennium string) (ReminderPolicy, error) {
	var p ReminderPolicy
	err := s.db.QueryRow(ctx, `SELECT reminder_days_before, reminder_on_due, reminder_overdue_every_days, reminder_overdue_max
		FROM programme WHERE biennium = $1`, biennium).Scan(&p.DaysBefore, &p.OnDue, &p.OverdueEveryDays, &p.OverdueMax)
	if err != nil {
		return ReminderPolicy{}, fmt.Errorf("read reminder policy of %s: %w", biennium, notFound(err))
	}
	return p, nil
}

// SetReminderPolicy replaces the policy of the programme for biennium after
// validating it; an invalid policy changes nothing.
func (s *Store) SetReminderPolicy(ctx context.Context, biennium string, p ReminderPolicy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	days := append([]int{}, p.DaysBefore...)
	sort.Sort(sort.Reverse(sort.IntSlice(days)))
	tag, err := s.db.Exec(ctx, `UPDATE programme SET reminder_days_before = $2, reminder_on_due = $3,
		reminder_overdue_every_days = $4, reminder_overdue_max = $5, updated_at = now() WHERE biennium = $1`,
		biennium, days, p.OnDue, p.OverdueEveryDays, p.OverdueMax)
	if err != nil {
		return fmt.Errorf("set reminder policy of %s: %w", biennium, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("set reminder policy of %s: programme %w", biennium, ErrNotFound)
	}
	return nil
}

// Stage returns the latest reminder stage reached on day today for an item
// due on due and created on created (all calendar dates), or "" when none is.
// Only the latest stage counts, so an item whose reminders were missed while
// every process was down gets one reminder, not a burst. A stage reached on
// or before the day the item was created is skipped: its invitation has just
// been sent. Overdue stages apply only when overdue is true.
func (p ReminderPolicy) Stage(due, created, today time.Time, overdue bool) string {
	// The name is written once, for the stage chosen: a sweep stages every
	// open item of the recipients it reminds, a hundred thousand of them.
	best, bestN, bestDay := "", 0, time.Time{}
	consider := func(name string, n int, day time.Time) {
		if day.After(today) || !day.After(created) || !day.After(bestDay) && best != "" {
			return
		}
		best, bestN, bestDay = name, n, day
	}
	for _, d := range p.DaysBefore {
		consider("before-", d, due.AddDate(0, 0, -d))
	}
	if p.OnDue {
		consider("due", 0, due)
	}
	if overdue {
		for k := 1; k <= p.OverdueMax; k++ {
			consider("overdue-", k, due.AddDate(0, 0, k*p.OverdueEveryDays))
		}
	}
	if best == "" || best == "due" {
		return best
	}
	return best + strconv.Itoa(bestN)
}

// civilDate is the calendar date of t where it is read, as midnight UTC, so
// dates from different zones compare and add days without DST surprises.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Kinds of items a reminder lists.
const (
	ReminderTask    = "task"
	ReminderVote    = "vote"
	ReminderCasting = "casting"
)

// ReminderItem is one open item of one recipient at a sweep: a report task of
// their country, a vote they have not cast, or a casting vote the Chair owes.
type ReminderItem struct {
	Recipient string
	Name      string
	Language  string
	// TimeZone is the person's IANA zone; Location is it loaded, or UTC when
	// the name is unknown (TimeZoneInvalid then says so).
	TimeZone        string
	Location        *time.Location
	TimeZoneInvalid bool

	Kind     string
	Item     string // task/<b>/<cycle>/<code>/<country> or vote/<b>/<code>/<round>
	Biennium string
	Cycle    string
	Code     string
	Country  string
	Round    int
	Title    cooperation.TextSet
	// DueOn is the due date as a calendar date in the recipient's zone.
	DueOn time.Time
	// ClosesAt ends a voting period; zero for tasks.
	ClosesAt time.Time
	// LinkExpires is when a link to this item stops working.
	LinkExpires time.Time
	// Overdue is true once the due date has passed in the recipient's zone.
	Overdue bool

	// Stage is the latest stage reached ("before-7@2018-06-30"), "" if none;
	// Sent tells whether a reminder at that stage already went.
	Stage string
	Sent  bool
	// For names the person the recipient acts for while that person is
	// away (a delegation); empty for the recipient's own items.
	For string
}

// Due tells whether the sweep must remind the recipient of this item now.
func (i ReminderItem) Due() bool { return i.Stage != "" && !i.Sent }

// reminderRow is what the query returns before stages are computed.
type reminderRow struct {
	ReminderItem
	dueOn     *time.Time
	closesAt  *time.Time
	created   time.Time
	cycleEnds *time.Time
	policy    ReminderPolicy
	// sent lists the stages of this item already reminded of.
	sent []string
}

// ReminderKey names one reminder: a stage of an item for a recipient.
type ReminderKey struct {
	Recipient string `json:"recipient"`
	Item      string `json:"item"`
	Stage     string `json:"stage"`
}

// ErrReminderSent says another sweep recorded one of these reminders first;
// the caller rolls back its digest and lets the next sweep recompute.
var ErrReminderSent = errors.New("reminder already sent")

// MarkRemindersSent records the reminders carried by the digest e-mail with
// dedupKey, at the sweep's time. Call it in the transaction that queued the
// e-mail: if any reminder was already recorded it returns ErrReminderSent,
// and rolling back keeps every stage reminded exactly once.
func (s *Store) MarkRemindersSent(ctx context.Context, dedupKey string, keys []ReminderKey, at time.Time) error {
	recips, items, stages := make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		recips[i], items[i], stages[i] = k.Recipient, k.Item, k.Stage
	}
	tag, err := s.db.Exec(ctx, `INSERT INTO reminder_sent (recipient, item, stage, email_id, sent_at)
		SELECT k.recipient, k.item, k.stage, (SELECT id FROM email WHERE dedup_key = $4), $5
		FROM unnest($1::text[], $2::text[], $3::text[]) AS k(recipient, item, stage)
		ON CONFLICT DO NOTHING`, recips, items, stages, dedupKey, at)
	if err != nil {
		return fmt.Errorf("record reminders of %s: %w", dedupKey, err)
	}
	if int(tag.RowsAffected()) != len(keys) {
		return fmt.Errorf("record reminders of %s: %w", dedupKey, ErrReminderSent)
	}
	return nil
}

// SentReminder is one recorded reminder with the digest that carried it.
type SentReminder struct {
	ReminderKey
	EmailID *int64    `json:"email_id"`
	SentAt  time.Time `json:"sent_at"`
}

// RemindersSent lists the reminders recorded for recipient (every recipient
// when empty), oldest first.
func (s *Store) RemindersSent(ctx context.Context, recipient string) ([]SentReminder, error) {
	rows, err := s.db.Query(ctx, `SELECT recipient, item, stage, email_id, sent_at FROM reminder_sent
		WHERE $1 = '' OR recipient = $1 ORDER BY sent_at, recipient, item, stage`, recipient)
	if err != nil {
		return nil, fmt.Errorf("list reminders sent: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (SentReminder, error) {
		var r SentReminder
		err := row.Scan(&r.Recipient, &r.Item, &r.Stage, &r.EmailID, &r.SentAt)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("list reminders sent: %w", err)
	}
	return out, nil
}

// SessionLock is a Postgres session advisory lock held on a connection taken
// out of the pool: it lasts as long as that connection, so a process that
// dies or loses its connection loses the lock with it.
type SessionLock struct {
	conn *pgx.Conn
	key  int64
}

// TryLock takes the advisory lock key on a dedicated connection, or reports
// false when another session holds it.
func TryLock(ctx context.Context, pool *pgxpool.Pool, key int64) (*SessionLock, bool, error) {
	pc, err := pool.Acquire(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("try advisory lock %d: %w", key, err)
	}
	// Hijacked, the connection never goes back to the pool still holding the lock.
	conn := pc.Hijack()
	var got bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		_ = conn.Close(context.Background())
		return nil, false, fmt.Errorf("try advisory lock %d: %w", key, err)
	}
	if !got {
		_ = conn.Close(context.Background())
		return nil, false, nil
	}
	return &SessionLock{conn: conn, key: key}, true, nil
}

// Alive checks that the connection holding the lock still answers.
func (l *SessionLock) Alive(ctx context.Context) error {
	if err := l.conn.Ping(ctx); err != nil {
		return fmt.Errorf("advisory lock %d connection: %w", l.key, err)
	}
	return nil
}

// PID is the server process holding the lock.
func (l *SessionLock) PID() uint32 { return l.conn.PgConn().PID() }

// Release gives the lock up and closes its connection.
func (l *SessionLock) Release(ctx context.Context) error {
	_, err := l.conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", l.key)
	_ = l.conn.Close(context.Background())
	if err != nil {
		return fmt.Errorf("release advisory lock %d: %w", l.key, err)
	}
	return nil
}

// LinkRef is the link a message gives the recipient to this item: a report
// task is answered on its task page, a vote on its activity's page.
func (i ReminderItem) LinkRef() LinkRef {
	if i.Kind == ReminderTask {
		return LinkRef{Purpose: PurposeReport, Subject: i.Item, Recipient: i.Recipient}
	}
	return LinkRef{Purpose: PurposeVote, Subject: cooperation.ActivityID(i.Biennium, i.Code), Recipient: i.Recipient}
}
