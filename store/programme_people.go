package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
)

// The people an import writes: a country's focal points and the
// committee's seats become the file's, and whoever the file no longer
// lists hands their open items to whoever it now lists in their place,
// the same re-addressing a replacement makes.

// focalPoints makes the biennium's focal points those of the file.
func (im *importer) focalPoints(ctx context.Context) error {
	rows, err := im.tx.db.Query(ctx, `SELECT country, email FROM focal_point WHERE biennium = $1 ORDER BY country, email`, im.biennium)
	if err != nil {
		return fmt.Errorf("read focal points: %w", err)
	}
	stored := map[string][]string{}
	var country, email string
	if _, err := pgx.ForEachRow(rows, []any{&country, &email}, func() error {
		stored[country] = append(stored[country], email)
		return nil
	}); err != nil {
		return fmt.Errorf("read focal points: %w", err)
	}
	wanted := map[string][]string{}
	for _, fp := range im.f.FocalPoints {
		wanted[fp.Country] = append(wanted[fp.Country], fp.Email)
	}
	c := im.counts[KindFocalPoint]
	for _, country := range unionKeys(stored, wanted) {
		gone, came, kept := diffSets(stored[country], wanted[country])
		c.Unchanged += len(kept)
		c.Created += len(came)
		c.Removed += len(gone)
		if len(gone)+len(came) == 0 {
			continue
		}
		if err := im.changeFocalPoints(ctx, country, gone, came, len(kept) > 0); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) changeFocalPoints(ctx context.Context, country string, gone, came []string, othersStay bool) error {
	tasks, err := im.tx.openTasksOf(ctx, im.biennium, country)
	if err != nil {
		return err
	}
	if len(came) == 0 && !othersStay && len(tasks) > 0 {
		return fmt.Errorf("focal_points: %s would be left without a focal point while %d report tasks are open (%s); "+
			"keep one in the file, or name the new one (bienal focal-point replace %s --to ...)",
			country, len(tasks), subjectsOf(tasks), country)
	}
	// What each leaving focal point holds, read before their links stop:
	// the first one's items go to whoever comes.
	held := map[string][]HandoverItem{}
	for _, email := range gone {
		if held[email], err = im.tx.focalPointItems(ctx, im.biennium, country, email, tasks, im.opts.Now); err != nil {
			return err
		}
	}
	for _, email := range gone {
		if _, err := im.tx.db.Exec(ctx, `DELETE FROM focal_point WHERE biennium = $1 AND country = $2 AND email = $3`,
			im.biennium, country, email); err != nil {
			return fmt.Errorf("remove focal point %s of %s: %w", email, country, err)
		}
		n, err := im.tx.revokeItemLinks(ctx, held[email], email, RevokedReplaced)
		if err != nil {
			return err
		}
		if err := im.tx.Audit(ctx, "", im.opts.By, im.subject, "focal_point_removed",
			map[string]any{"country": country, "email": email, "links_revoked": n}); err != nil {
			return err
		}
		im.res.People = append(im.res.People, fmt.Sprintf("focal point of %s: %s removed (%d links to open tasks stopped)", country, email, n))
	}
	for _, email := range came {
		if _, err := im.tx.db.Exec(ctx, `INSERT INTO focal_point (biennium, country, email, since) VALUES ($1, $2, $3, $4)`,
			im.biennium, country, email, civilDate(im.opts.Now.UTC())); err != nil {
			return fmt.Errorf("write focal point %s of %s: %w", email, country, err)
		}
		if err := im.tx.Audit(ctx, "", im.opts.By, im.subject, "focal_point_created",
			map[string]any{"country": country, "email": email}); err != nil {
			return err
		}
		line := fmt.Sprintf("focal point of %s: %s added", country, email)
		if len(gone) > 0 {
			n, err := im.handOver(ctx, cooperation.RoleFocalPoint, country, email, gone[0], held[gone[0]])
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" in the place of %s (%d open items handed over)", strings.Join(gone, ", "), n)
		}
		im.res.People = append(im.res.People, line)
	}
	return nil
}

// handOver writes the handover of items to email, who took from's place,
// and the items' audit lines; it returns how many items it handed over.
func (im *importer) handOver(ctx context.Context, role, country, email, from string, items []HandoverItem) (int, error) {
	to, err := im.tx.PersonByEmail(ctx, email)
	if err != nil {
		return 0, err
	}
	old, err := im.tx.PersonByEmail(ctx, from)
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		if err := im.tx.Audit(ctx, "", im.opts.By, it.Subject, "readdressed", map[string]any{"role": role,
			"country": country, "from": from, "to": email, "reference": "programme import"}); err != nil {
			return 0, err
		}
	}
	if im.opts.Handover == nil {
		return len(items), nil
	}
	h := Handover{DedupKey: fmt.Sprintf("handover/%s/%s/%s/%s/from/%s", role, im.biennium, country, email, from),
		To: to, From: old, Role: role, Biennium: im.biennium, Country: country,
		Effective: civilDate(im.opts.Now.UTC()), Items: slices.Clone(items)}
	_, err = im.tx.writeHandover(ctx, h, im.opts.Handover)
	return len(items), err
}

// seatRow is one committee seat as stored or as the file has it.
type seatRow struct {
	Role, TermStart, TermEnd string
	Principal                string
	Alternates               []string
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// committee makes the biennium's seats, and their delegates, those of the
// file. Rounds already open keep the seats they started with (round_seat);
// a seat's new delegates take over its open votes.
func (im *importer) committee(ctx context.Context) error {
	stored, err := im.storedSeats(ctx)
	if err != nil {
		return err
	}
	wanted := map[string]seatRow{}
	for _, m := range im.f.Committee {
		r := seatRow{Role: string(m.Role), TermStart: dateText(m.TermStart), TermEnd: dateText(m.TermEnd), Principal: m.Email}
		for _, a := range m.Alternates {
			r.Alternates = append(r.Alternates, a.Email)
		}
		slices.Sort(r.Alternates)
		wanted[m.Country] = r
	}
	c := im.counts[KindCommitteeMember]
	countries := unionKeys(stored, wanted)
	// Seats that go, and delegates that leave a seat, first: a person who
	// moves from one seat to another is free to take the new one, and the
	// one chair may move from one seat to another.
	for _, country := range countries {
		was, had := stored[country]
		now, has := wanted[country]
		switch {
		case had && !has:
			c.Removed++
			if err := im.removeSeat(ctx, country); err != nil {
				return err
			}
		case had && has:
			if err := im.leaveSeat(ctx, country, was, now); err != nil {
				return err
			}
			if was.Role != now.Role {
				if _, err := im.tx.db.Exec(ctx, `UPDATE committee_seat SET role = 'member' WHERE biennium = $1 AND country = $2`,
					im.biennium, country); err != nil {
					return fmt.Errorf("write seat %s: %w", country, err)
				}
			}
		}
	}
	for _, country := range countries {
		was, had := stored[country]
		now, has := wanted[country]
		switch {
		case !has:
		case !had:
			c.Created++
			if err := im.addSeat(ctx, country, now); err != nil {
				return err
			}
		case seatEqual(was, now):
			c.Unchanged++
		default:
			c.Updated++
			if err := im.updateSeat(ctx, country, was, now); err != nil {
				return err
			}
		}
	}
	return nil
}

func seatEqual(a, b seatRow) bool {
	return a.Role == b.Role && a.TermStart == b.TermStart && a.TermEnd == b.TermEnd && a.Principal == b.Principal &&
		slices.Equal(a.Alternates, b.Alternates)
}

func (im *importer) storedSeats(ctx context.Context) (map[string]seatRow, error) {
	rows, err := im.tx.db.Query(ctx, `SELECT s.country, s.role, COALESCE(to_char(s.term_start, 'YYYY-MM-DD'), ''),
			COALESCE(to_char(s.term_end, 'YYYY-MM-DD'), ''), COALESCE(d.email, ''), COALESCE(d.kind, '')
		FROM committee_seat s LEFT JOIN seat_delegate d USING (biennium, country)
		WHERE s.biennium = $1 ORDER BY s.country, d.email`, im.biennium)
	if err != nil {
		return nil, fmt.Errorf("read committee: %w", err)
	}
	out := map[string]seatRow{}
	var country, role, start, end, email, kind string
	_, err = pgx.ForEachRow(rows, []any{&country, &role, &start, &end, &email, &kind}, func() error {
		r := out[country]
		r.Role, r.TermStart, r.TermEnd = role, start, end
		switch kind {
		case cooperation.RolePrincipal:
			r.Principal = email
		case cooperation.RoleAlternate:
			r.Alternates = append(r.Alternates, email)
		}
		out[country] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read committee: %w", err)
	}
	return out, nil
}

func (im *importer) removeSeat(ctx context.Context, country string) error {
	votes, err := im.tx.openVotesOf(ctx, im.biennium, country, im.opts.Now)
	if err != nil {
		return err
	}
	if len(votes) > 0 {
		return fmt.Errorf("committee: the seat of %s has open votes (%s); it cannot leave the committee until they are decided, "+
			"or keep it in the file and change its delegates", country, subjectsOf(votes))
	}
	if _, err := im.tx.db.Exec(ctx, `DELETE FROM committee_seat WHERE biennium = $1 AND country = $2`, im.biennium, country); err != nil {
		return fmt.Errorf("remove seat %s: %w", country, err)
	}
	im.res.People = append(im.res.People, fmt.Sprintf("committee seat of %s: removed", country))
	return im.tx.Audit(ctx, "", im.opts.By, im.subject, "seat_removed", map[string]any{"country": country})
}

// leaveSeat removes the delegates who leave a seat that stays, stopping
// their links to its open votes.
func (im *importer) leaveSeat(ctx context.Context, country string, was, now seatRow) error {
	gone := []string{}
	for _, e := range append([]string{was.Principal}, was.Alternates...) {
		if e != "" && e != now.Principal && !slices.Contains(now.Alternates, e) {
			gone = append(gone, e)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	votes, err := im.tx.openVotesOf(ctx, im.biennium, country, im.opts.Now)
	if err != nil {
		return err
	}
	for _, e := range gone {
		if _, err := im.tx.db.Exec(ctx, `DELETE FROM seat_delegate WHERE biennium = $1 AND country = $2 AND email = $3`,
			im.biennium, country, e); err != nil {
			return fmt.Errorf("remove delegate %s of %s: %w", e, country, err)
		}
		if _, err := im.tx.revokeItemLinks(ctx, votes, e, RevokedReplaced); err != nil {
			return err
		}
		im.res.People = append(im.res.People, fmt.Sprintf("committee seat of %s: %s leaves it", country, e))
	}
	return nil
}

func (im *importer) addSeat(ctx context.Context, country string, r seatRow) error {
	if _, err := im.tx.db.Exec(ctx, `INSERT INTO committee_seat (biennium, country, role, term_start, term_end)
		VALUES ($1, $2, $3, NULLIF($4, '')::date, NULLIF($5, '')::date)`, im.biennium, country, r.Role, r.TermStart, r.TermEnd); err != nil {
		return fmt.Errorf("write seat %s: %w", country, err)
	}
	if err := im.putDelegates(ctx, country, seatRow{}, r); err != nil {
		return err
	}
	im.res.People = append(im.res.People, fmt.Sprintf("committee seat of %s: added (%s, principal %s)", country, r.Role, r.Principal))
	return im.tx.Audit(ctx, "", im.opts.By, im.subject, "seat_created", map[string]any{"country": country, "role": r.Role,
		"principal": r.Principal, "alternates": r.Alternates, "term_start": r.TermStart, "term_end": r.TermEnd})
}

func (im *importer) updateSeat(ctx context.Context, country string, was, now seatRow) error {
	if _, err := im.tx.db.Exec(ctx, `UPDATE committee_seat SET role = $3, term_start = NULLIF($4, '')::date,
		term_end = NULLIF($5, '')::date WHERE biennium = $1 AND country = $2`,
		im.biennium, country, now.Role, now.TermStart, now.TermEnd); err != nil {
		return fmt.Errorf("write seat %s: %w", country, err)
	}
	if was.Role != now.Role || was.TermStart != now.TermStart || was.TermEnd != now.TermEnd {
		im.res.People = append(im.res.People, fmt.Sprintf("committee seat of %s: %s, term %s to %s", country, now.Role,
			orDash(now.TermStart), orDash(now.TermEnd)))
	}
	if err := im.putDelegates(ctx, country, was, now); err != nil {
		return err
	}
	return im.tx.Audit(ctx, "", im.opts.By, im.subject, "seat_updated", map[string]any{"country": country, "role": now.Role,
		"principal": now.Principal, "alternates": now.Alternates, "term_start": now.TermStart, "term_end": now.TermEnd})
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// putDelegates writes the seat's new delegates (those who left it are gone
// already) and hands the seat's open votes to each newcomer.
func (im *importer) putDelegates(ctx context.Context, country string, was, now seatRow) error {
	type entry struct{ email, kind string }
	var came []entry
	if now.Principal != was.Principal {
		came = append(came, entry{now.Principal, cooperation.RolePrincipal})
	}
	for _, a := range now.Alternates {
		if !slices.Contains(was.Alternates, a) {
			came = append(came, entry{a, cooperation.RoleAlternate})
		}
	}
	var votes []HandoverItem
	if len(came) > 0 && (was.Principal != "" || len(was.Alternates) > 0) {
		var err error
		if votes, err = im.tx.openVotesOf(ctx, im.biennium, country, im.opts.Now); err != nil {
			return err
		}
	}
	// Someone who changes kind within the seat (a principal made alternate,
	// an alternate made principal) is taken out first, so that the seat
	// never holds two principals.
	for _, e := range came {
		if _, err := im.tx.db.Exec(ctx, `DELETE FROM seat_delegate WHERE biennium = $1 AND country = $2 AND email = $3`,
			im.biennium, country, e.email); err != nil {
			return fmt.Errorf("write delegate %s of %s: %w", e.email, country, err)
		}
	}
	for _, e := range came {
		if _, err := im.tx.db.Exec(ctx, `INSERT INTO seat_delegate (biennium, country, email, kind, since) VALUES ($1, $2, $3, $4, $5)`,
			im.biennium, country, e.email, e.kind, civilDate(im.opts.Now.UTC())); err != nil {
			return fmt.Errorf("write delegate %s of %s: %w", e.email, country, err)
		}
		if was.Principal == "" && len(was.Alternates) == 0 {
			continue
		}
		from := was.Principal
		if from == "" || from == now.Principal {
			from = was.Alternates[0]
		}
		if from == e.email {
			// A delegate who only changes kind keeps the links they hold.
			im.res.People = append(im.res.People, fmt.Sprintf("committee seat of %s: %s is its %s", country, e.email, e.kind))
			continue
		}
		n, err := im.handOver(ctx, e.kind, country, e.email, from, votes)
		if err != nil {
			return err
		}
		im.res.People = append(im.res.People, fmt.Sprintf("committee seat of %s: %s is its %s (%d open votes handed over)",
			country, e.email, e.kind, n))
	}
	return nil
}

func unionKeys[V any](a, b map[string]V) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// diffSets says which of was are gone from now, which of now are new, and
// which stay.
func diffSets(was, now []string) (gone, came, kept []string) {
	for _, e := range was {
		if slices.Contains(now, e) {
			kept = append(kept, e)
		} else {
			gone = append(gone, e)
		}
	}
	for _, e := range now {
		if !slices.Contains(was, e) {
			came = append(came, e)
		}
	}
	return gone, came, kept
}

func subjectsOf(items []HandoverItem) string {
	s := make([]string, len(items))
	for i, it := range items {
		s[i] = it.Subject
	}
	return strings.Join(s, ", ")
}
