// Package reminder sweeps open report tasks and votes on a schedule and sends
// each recipient one digest of what is due, in their language and during
// their working hours, under the reminder policy kept in Postgres
// (ARCHITECTURE.md, decision 5). Postgres says what is due and what was
// sent, so a sweep that runs twice, late, or on two replicas sends nothing
// twice and misses nothing.
package reminder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// Kind is the e-mail kind (and template) of a reminder digest.
const Kind = mail.KindReminder

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
	// At is the instant swept.
	At time.Time `json:"at"`
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
	res := Result{At: now}
	items, err := s.Store.ReminderDigests(ctx, now)
	if err == nil {
		items, err = s.withoutRevoked(ctx, items)
	}
	if err != nil {
		return res, fmt.Errorf("reminder sweep at %s: %w", now.Format(time.RFC3339), err)
	}
	plans := s.plan(now, items, &res)
	written, missing, err := s.lookUp(ctx, now, plans)
	if err != nil {
		return res, fmt.Errorf("reminder sweep at %s: %w", now.Format(time.RFC3339), err)
	}
	errs := s.sendAll(ctx, now, plans, written, missing, &res)
	return res, errors.Join(errs...)
}

// withoutRevoked leaves out the items whose recipient's latest link the
// secretariat revoked: reminding them would mint a working link the
// secretariat took away, and without one they cannot act on the item.
func (s *Sweeper) withoutRevoked(ctx context.Context, items []store.ReminderItem) ([]store.ReminderItem, error) {
	refs := make([]store.LinkRef, len(items))
	for i, it := range items {
		refs[i] = it.LinkRef()
	}
	revoked, err := s.Store.RevokedByHand(ctx, refs)
	if err != nil || len(revoked) == 0 {
		return items, err
	}
	return slices.DeleteFunc(items, func(it store.ReminderItem) bool { return revoked[it.LinkRef()] }), nil
}

// digestsPerTx is how many digests share one commit. Each digest has a
// savepoint of its own, so one that fails leaves the others, but fifty
// share the wait for the disk: committing each alone made a sweep of a
// thousand digests wait on a thousand flushes. Fifty stays under the 64
// subtransactions Postgres caches per transaction.
const digestsPerTx = 50

// sendAll writes the planned digests not written yet, digestsPerTx to a
// transaction, and counts them in res once committed.
func (s *Sweeper) sendAll(ctx context.Context, now time.Time, plans []plannedDigest, written map[string]bool,
	missing map[store.LinkRef]bool, res *Result) []error {
	var errs []error
	for start := 0; start < len(plans); start += digestsPerTx {
		chunk := plans[start:min(start+digestsPerTx, len(plans))]
		var part Result
		var partErrs []error
		err := s.Store.InTx(ctx, func(tx *store.Store) error {
			part, partErrs = Result{}, nil
			for _, p := range chunk {
				if written[p.dedup] {
					part.AlreadySent++
					continue
				}
				err := tx.InTx(ctx, func(sp *store.Store) error { return s.writeDigest(ctx, sp, now, p, missing) })
				switch {
				case errors.Is(err, errDigestExists) || errors.Is(err, store.ErrReminderSent):
					part.AlreadySent++
				case err != nil:
					s.logger().Error("reminder digest failed", "recipient", p.group[0].Recipient, "err", err)
					partErrs = append(partErrs, err)
				default:
					part.Digests++
					part.Items += len(p.keys)
				}
			}
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("write %d reminder digests: %w", len(chunk), err))
			continue
		}
		res.Digests, res.Items, res.AlreadySent = res.Digests+part.Digests, res.Items+part.Items, res.AlreadySent+part.AlreadySent
		errs = append(errs, partErrs...)
	}
	return errs
}

// plannedDigest is the digest of one recipient: every open item, and the
// reminders due now that it carries.
type plannedDigest struct {
	group []store.ReminderItem
	keys  []store.ReminderKey
	dedup string
}

// plan keeps the recipients with a reminder due and inside their working hours.
func (s *Sweeper) plan(now time.Time, items []store.ReminderItem, res *Result) []plannedDigest {
	var plans []plannedDigest
	for _, group := range byRecipient(items) {
		first := group[0]
		var keys []store.ReminderKey
		for _, it := range group {
			if it.Due() {
				keys = append(keys, store.ReminderKey{Recipient: first.Recipient, Item: it.Item, Stage: it.Stage})
			}
		}
		if len(keys) == 0 {
			continue
		}
		if first.TimeZoneInvalid {
			s.logger().Warn("unknown time zone, using UTC", "recipient", first.Recipient, "time_zone", first.TimeZone)
		}
		if !WorkingHours(now, first.Location) {
			res.SkippedHours++
			continue
		}
		plans = append(plans, plannedDigest{group: group, keys: keys, dedup: DigestKey(first.Recipient, keys)})
	}
	return plans
}

// lookUp asks, once for the whole sweep, which digests are already written
// and which items not due have no live link for their recipient. Read before
// the digests' transactions, a link may be revoked in between: that happens
// when its item closes, and a closed item needs no link.
func (s *Sweeper) lookUp(ctx context.Context, now time.Time, plans []plannedDigest) (map[string]bool, map[store.LinkRef]bool, error) {
	keys := make([]string, len(plans))
	for i, p := range plans {
		keys[i] = p.dedup
	}
	written, err := s.Store.ExistingEmails(ctx, keys)
	if err != nil {
		return nil, nil, err
	}
	var refs []store.LinkRef
	for _, p := range plans {
		for _, it := range p.group {
			if !written[p.dedup] && !it.Due() {
				refs = append(refs, it.LinkRef())
			}
		}
	}
	missing, err := s.Store.WithoutLiveLink(ctx, refs, now)
	return written, missing, err
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

// writeDigest writes the digest, its links and the reminders it carries in
// tx, a savepoint: if another sweep wrote the digest first, rolling back
// takes the links with it, so no link row is left that no message carries.
func (s *Sweeper) writeDigest(ctx context.Context, tx *store.Store, now time.Time, p plannedDigest, missing map[store.LinkRef]bool) error {
	first := p.group[0]
	data, err := s.digestData(ctx, tx, p.group, missing)
	if err != nil {
		return err
	}
	content, err := mail.Render(Kind, first.Language, data)
	if err != nil {
		return fmt.Errorf("reminder digest for %s: %w", first.Recipient, err)
	}
	queued, err := tx.QueueEmail(ctx, store.Email{DedupKey: p.dedup, Recipient: first.Recipient, Language: first.Language,
		Kind: Kind, Subject: content.Subject, Text: content.Text, HTML: content.HTML})
	if err != nil {
		return err
	}
	if !queued {
		return errDigestExists
	}
	return tx.MarkRemindersSent(ctx, p.dedup, p.keys, now)
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
