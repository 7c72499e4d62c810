package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
)

// importActor signs the audit lines an import writes.
const importActor = "programme-import"

// Kinds of rows an import counts.
const (
	KindProgramme       = "programme"
	KindGoal            = "goal"
	KindLineOfAction    = "line_of_action"
	KindCountry         = "country"
	KindPerson          = "person"
	KindFocalPoint      = "focal_point"
	KindCommitteeMember = "committee_member"
	KindSecretariatUser = "secretariat_user"
	KindActivity        = "activity"
)

// editableStatuses are the statuses in which an import may still change an
// activity's text and countries: once it is in execution, decided against or
// withdrawn, the record of what was agreed stays as it was.
var editableStatuses = []cooperation.ActivityStatus{cooperation.ActivityProposed, cooperation.ActivityUnderReview, cooperation.ActivityApproved}

// ImportCount says what an import did to the rows of one kind.
type ImportCount struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
}

// ImportedActivity is an activity of an imported file with its status in
// the database, so the caller can start (or find) its workflow.
type ImportedActivity struct {
	Biennium string                     `json:"biennium"`
	Code     string                     `json:"code"`
	Status   cooperation.ActivityStatus `json:"status"`
	Created  bool                       `json:"created"`
}

// ImportResult reports what ImportProgramme changed, kind by kind (keys are
// the Kind constants).
type ImportResult struct {
	Biennium   string                 `json:"biennium"`
	Counts     map[string]ImportCount `json:"counts"`
	Activities []ImportedActivity     `json:"activities"`
	// People lists, one line each, what the import changed in the
	// directory: focal points and committee seats, their delegates, and the
	// open items handed over.
	People []string `json:"people"`
}

// Changes is the number of rows created, updated or removed: zero when the
// same file is imported twice.
func (r ImportResult) Changes() int {
	n := 0
	for _, c := range r.Counts {
		n += c.Created + c.Updated + c.Removed
	}
	return n
}

// ImportOptions say how an import tells the people its changes concern.
type ImportOptions struct {
	// Handover composes the message to whoever takes over open items from
	// a focal point or a delegate the file no longer lists
	// (mail.HandoverMail); nil sends none, and their links stop all the same.
	Handover HandoverMailFunc
	// Now is the import's clock (time.Now when zero).
	Now time.Time
	// By signs the audit lines (programme-import when empty).
	By string
}

// importer carries one import's transaction and tallies.
type importer struct {
	tx       *Store
	f        *programme.File
	res      *ImportResult
	counts   map[string]*ImportCount
	subject  string
	biennium string
	opts     ImportOptions
}

// ImportProgramme writes a parsed programme file in one transaction: rows
// missing are created, rows that differ are updated, and the rest is left
// alone, so importing the same file twice changes nothing. Activities are
// never deleted and their status is set only when they are created; their
// text may change only while they are proposed, under review or approved.
// The committee roster and the focal points of the biennium become those of
// the file. Every change gets an audit line.
func (s *Store) ImportProgramme(ctx context.Context, f *programme.File) (ImportResult, error) {
	return s.ImportProgrammeWith(ctx, f, ImportOptions{})
}

// ImportProgrammeWith is ImportProgramme telling the people concerned: the
// file wins over the directory's edits in the portal for everything it
// lists, and a focal point or delegate it no longer lists hands their open
// items over as a replacement does (Replace), with the message opts give.
func (s *Store) ImportProgrammeWith(ctx context.Context, f *programme.File, opts ImportOptions) (ImportResult, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.By == "" {
		opts.By = importActor
	}
	res := ImportResult{Biennium: f.Biennium, Counts: map[string]ImportCount{}, Activities: []ImportedActivity{}, People: []string{}}
	err := s.InTx(ctx, func(tx *Store) error {
		im := &importer{tx: tx, f: f, res: &res, counts: map[string]*ImportCount{},
			subject: "programme/" + f.Biennium, biennium: f.Biennium, opts: opts}
		for _, k := range []string{KindProgramme, KindGoal, KindLineOfAction, KindCountry, KindPerson,
			KindFocalPoint, KindCommitteeMember, KindSecretariatUser, KindActivity, KindText} {
			im.counts[k] = &ImportCount{}
		}
		for _, step := range []func(context.Context) error{im.programme, im.goals, im.lines, im.countries,
			im.people, im.focalPoints, im.committee, im.secretariat, im.activities, im.texts} {
			if err := step(ctx); err != nil {
				return err
			}
		}
		for k, c := range im.counts {
			res.Counts[k] = *c
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import programme %s: %w", f.Biennium, err)
	}
	return res, nil
}

// upsert runs an INSERT ... ON CONFLICT DO UPDATE ... WHERE <differs>
// RETURNING (xmax = 0): a row back was inserted (true) or updated (false);
// no row means it was already as the file says. It returns the action done.
func (im *importer) upsert(ctx context.Context, kind, sql string, args ...any) (string, error) {
	var inserted bool
	err := im.tx.db.QueryRow(ctx, sql, args...).Scan(&inserted)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		im.counts[kind].Unchanged++
		return "", nil
	case err != nil:
		return "", fmt.Errorf("write %s: %w", kind, err)
	case inserted:
		im.counts[kind].Created++
		return "created", nil
	default:
		im.counts[kind].Updated++
		return "updated", nil
	}
}

// record upserts and writes an audit line when something changed.
func (im *importer) record(ctx context.Context, kind, subject string, detail any, sql string, args ...any) error {
	action, err := im.upsert(ctx, kind, sql, args...)
	if err != nil || action == "" {
		return err
	}
	return im.tx.Audit(ctx, "", im.opts.By, subject, kind+"_"+action, detail)
}

func (im *importer) programme(ctx context.Context) error {
	f := im.f
	return im.record(ctx, KindProgramme, im.subject, map[string]any{"title": f.Title, "rules": f.Rules},
		`INSERT INTO programme (biennium, title, voting_days, max_rounds, recuse_involved) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (biennium) DO UPDATE SET title = EXCLUDED.title, voting_days = EXCLUDED.voting_days,
			max_rounds = EXCLUDED.max_rounds, recuse_involved = EXCLUDED.recuse_involved, updated_at = now()
		WHERE (programme.title, programme.voting_days, programme.max_rounds, programme.recuse_involved)
			IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.voting_days, EXCLUDED.max_rounds, EXCLUDED.recuse_involved)
		RETURNING (xmax = 0)`, f.Biennium, f.Title, f.Rules.VotingDays, f.Rules.MaxRounds, f.Rules.RecuseInvolved)
}

func (im *importer) goals(ctx context.Context) error {
	for _, g := range im.f.Goals {
		err := im.record(ctx, KindGoal, im.subject, g, `INSERT INTO goal (biennium, number, title) VALUES ($1, $2, $3)
			ON CONFLICT (biennium, number) DO UPDATE SET title = EXCLUDED.title WHERE goal.title <> EXCLUDED.title
			RETURNING (xmax = 0)`, im.biennium, g.Number, g.Title)
		if err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) lines(ctx context.Context) error {
	for _, l := range im.f.LinesOfAction {
		err := im.record(ctx, KindLineOfAction, im.subject, l, `INSERT INTO line_of_action (biennium, number, title)
			VALUES ($1, $2, $3) ON CONFLICT (biennium, number) DO UPDATE SET title = EXCLUDED.title
			WHERE line_of_action.title <> EXCLUDED.title RETURNING (xmax = 0)`, im.biennium, l.Number, l.Title)
		if err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) countries(ctx context.Context) error {
	for _, c := range im.f.Countries {
		err := im.record(ctx, KindCountry, "country/"+c.Code, c, `INSERT INTO country (code, name) VALUES ($1, $2)
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name WHERE country.name <> EXCLUDED.name
			RETURNING (xmax = 0)`, c.Code, c.Name)
		if err != nil {
			return err
		}
	}
	return nil
}

// people writes every person of the file once; their country is the first
// one the file gives them (secretariat users have none, and keep any they had).
func (im *importer) people(ctx context.Context) error {
	type entry struct {
		programme.Person
		country string
	}
	var order []string
	byEmail := map[string]*entry{}
	add := func(p programme.Person, country string) {
		if e, ok := byEmail[p.Email]; ok {
			if e.country == "" {
				e.country = country
			}
			return
		}
		byEmail[p.Email] = &entry{p, country}
		order = append(order, p.Email)
	}
	for _, fp := range im.f.FocalPoints {
		add(fp.Person, fp.Country)
	}
	for _, m := range im.f.Committee {
		add(m.Person, m.Country)
		for _, a := range m.Alternates {
			add(a, m.Country)
		}
	}
	for _, p := range im.f.Secretariat {
		add(p, "")
	}
	for _, email := range order {
		e := byEmail[email]
		err := im.record(ctx, KindPerson, "person/"+email, map[string]any{"name": e.Name, "language": e.Language,
			"time_zone": e.TimeZone, "country": e.country},
			`INSERT INTO person (email, name, language, time_zone, country) VALUES ($1, $2, $3, $4, NULLIF($5, ''))
			ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, language = EXCLUDED.language,
				time_zone = EXCLUDED.time_zone, country = COALESCE(EXCLUDED.country, person.country)
			WHERE (person.name, person.language, person.time_zone) IS DISTINCT FROM
				(EXCLUDED.name, EXCLUDED.language, EXCLUDED.time_zone)
				OR (EXCLUDED.country IS NOT NULL AND person.country IS DISTINCT FROM EXCLUDED.country)
			RETURNING (xmax = 0)`, email, e.Name, e.Language, e.TimeZone, e.country)
		if err != nil {
			return err
		}
	}
	return nil
}

// secretariat adds the file's secretariat users; accounts are never removed
// here, and passwords are set with their own command.
func (im *importer) secretariat(ctx context.Context) error {
	c := im.counts[KindSecretariatUser]
	for _, p := range im.f.Secretariat {
		tag, err := im.tx.db.Exec(ctx, `INSERT INTO secretariat_user (email) VALUES ($1) ON CONFLICT DO NOTHING`, p.Email)
		if err != nil {
			return fmt.Errorf("write secretariat user %s: %w", p.Email, err)
		}
		if tag.RowsAffected() == 0 {
			c.Unchanged++
			continue
		}
		c.Created++
		if err := im.tx.Audit(ctx, "", importActor, "person/"+p.Email, "secretariat_user_created", nil); err != nil {
			return err
		}
	}
	return nil
}
