// Package reminder sweeps open report tasks and votes on a schedule and sends
// each recipient one digest of what is due, in their language and during
// their working hours, under the reminder policy kept in Postgres
// (ARCHITECTURE.md, decision 5). Postgres says what is due and what was
// sent, so a sweep that runs twice, late, or on two replicas sends nothing
// twice and misses nothing.
package reminder

import (
	"os"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// Kind is the e-mail kind (and template) of a reminder digest.
const Kind = "reminder"

// Working hours in the recipient's own time zone, Monday to Friday.
const (
	workStartHour = 9
	workEndHour   = 17
)

// Sweeper finds what is due and writes the digests.
type Sweeper struct {
	Store *store.Store
	// Now is the clock of RunOnce; Sweep takes its time as an argument.
	Now    func() time.Time
	Logger *slog.Logger
	// BaseURL starts every link in a digest (BASE_URL).
	BaseURL string
}

// Result says what one sweep did.
type Result struct {
	// Digests written, one per recipient reminded.
	Digests int `json:"digests"`
	// Items is the number of item stages those digests remind of.
	Items int `json:"items"`
	// SkippedHours counts recipients with reminders due outside their
	// working hours; a later sweep sends them.
	SkippedHours int `json:"skipped_hours"`
	// AlreadySent counts digests another sweep wrote first.
	AlreadySent int `json:"already_sent"`
}

// errDigestExists rolls back a digest another sweep has written.
var errDigestExists = errors.New("digest already written")

// RunOnce sweeps at the Sweeper's clock (time.Now without one).
func (s *Sweeper) RunOnce(ctx context.Context) (Result, error) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	return s.Sweep(ctx, now)
}

// Sweep sends, at now, one digest to every recipient with a reminder due and
// inside their working hours. An error with one recipient does not stop the
// others; every error is returned, joined.
func (s *Sweeper) Sweep(ctx context.Context, now time.Time) (Result, error) {
	var res Result
	t0 := time.Now()
	items, err := s.Store.ReminderDigests(ctx, now)
	fmt.Fprintln(os.Stderr, "TIMING digests read", time.Since(t0))
	if err != nil {
		return res, fmt.Errorf("reminder sweep at %s: %w", now.Format(time.RFC3339), err)
	}
	var errs []error
	for _, group := range byRecipient(items) {
		due := dueOnly(group)
		if len(due) == 0 {
			continue
		}
		first := group[0]
		if first.TimeZoneInvalid {
			s.logger().Warn("unknown time zone, using UTC", "recipient", first.Recipient, "time_zone", first.TimeZone)
		}
		if !WorkingHours(now, first.Location) {
			res.SkippedHours++
			continue
		}
		err := s.sendDigest(ctx, now, group, due)
		switch {
		case errors.Is(err, errDigestExists) || errors.Is(err, store.ErrReminderSent):
			res.AlreadySent++
		case err != nil:
			s.logger().Error("reminder digest failed", "recipient", first.Recipient, "err", err)
			errs = append(errs, err)
		default:
			res.Digests++
			res.Items += len(due)
		}
	}
	fmt.Fprintln(os.Stderr, "TIMING", T)
	return res, errors.Join(errs...)
}

// WorkingHours tells whether now is 09:00-17:00, Monday to Friday, on the
// wall clock of loc. Reading the wall clock through the zone's rules keeps it
// right across a change to or from daylight saving time.
func WorkingHours(now time.Time, loc *time.Location) bool {
	local := now.In(loc)
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return local.Hour() >= workStartHour && local.Hour() < workEndHour
}

// DigestKey is the dedup key of the digest carrying these reminders: the
// same reminders make the same key, so a second sweep finds the row written.
func DigestKey(recipient string, keys []store.ReminderKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Item + "\x00" + k.Stage
	}
	sort.Strings(parts)
	h := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return "reminder/" + recipient + "/" + hex.EncodeToString(h[:16])
}

// sendDigest writes the digest, its links and the reminders it carries in
// one transaction. Links are made only when the digest row is new, so a
// second sweep never leaves link rows that no message carries.
func (s *Sweeper) sendDigest(ctx context.Context, now time.Time, group, due []store.ReminderItem) error {
	recipient := group[0].Recipient
	keys := make([]store.ReminderKey, len(due))
	for i, it := range due {
		keys[i] = store.ReminderKey{Recipient: recipient, Item: it.Item, Stage: it.Stage}
	}
	dedup := DigestKey(recipient, keys)
	return s.Store.InTx(ctx, func(tx *store.Store) error {
		exists, err := tx.EmailExists(ctx, dedup)
		if err != nil {
			return err
		}
		if exists {
			return errDigestExists
		}
		t1 := time.Now()
		defer func() { T["tx"] += time.Since(t1) }()
		data, err := s.digestData(ctx, tx, now, group)
		T["data"] += time.Since(t1)
		t2 := time.Now()
		defer func() { T["render"] += 0 }()
		if err != nil {
			return err
		}
		content, err := mail.Render(Kind, group[0].Language, data)
		if err != nil {
			return fmt.Errorf("reminder digest for %s: %w", recipient, err)
		}
		T["render"] += time.Since(t2)
		t3 := time.Now()
		defer func() { T["queue+mark+commit"] += time.Since(t3) }()
		queued, err := tx.QueueEmail(ctx, store.Email{DedupKey: dedup, Recipient: recipient, Language: group[0].Language,
			Kind: Kind, Subject: content.Subject, Text: content.Text, HTML: content.HTML})
		if err != nil {
			return err
		}
		if !queued {
			return errDigestExists
		}
		return tx.MarkRemindersSent(ctx, dedup, keys, now)
	})
}

func (s *Sweeper) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// byRecipient splits items, sorted by recipient, into one group each.
func byRecipient(items []store.ReminderItem) [][]store.ReminderItem {
	var groups [][]store.ReminderItem
	for i := 0; i < len(items); {
		j := i
		for j < len(items) && items[j].Recipient == items[i].Recipient {
			j++
		}
		groups = append(groups, items[i:j])
		i = j
	}
	return groups
}

func dueOnly(items []store.ReminderItem) []store.ReminderItem {
	var due []store.ReminderItem
	for _, it := range items {
		if it.Due() {
			due = append(due, it)
		}
	}
	return due
}

var T = map[string]time.Duration{}
