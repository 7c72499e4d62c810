package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
)

// storedActivity is what an import compares an activity of the file with.
type storedActivity struct {
	Goal            int                        `db:"goal"`
	LineOfAction    int                        `db:"line_of_action"`
	LeadCountry     string                     `db:"lead_country"`
	Participants    []string                   `db:"participants"`
	Title           string                     `db:"title"`
	Description     string                     `db:"description"`
	ExpectedOutputs []string                   `db:"expected_outputs"`
	StartsOn        string                     `db:"starts_on"`
	EndsOn          string                     `db:"ends_on"`
	ProposedBy      string                     `db:"proposed_by"`
	Status          cooperation.ActivityStatus `db:"status"`
	Version         int                        `db:"version"`
}

func (im *importer) activities(ctx context.Context) error {
	for i, a := range im.f.Activities {
		status, created, err := im.activity(ctx, a)
		if err != nil {
			return fmt.Errorf("activities[%d] (%s): %w", i, a.Code, err)
		}
		im.res.Activities = append(im.res.Activities, ImportedActivity{im.biennium, a.Code, status, created})
	}
	return nil
}

// activity creates or updates one activity and returns its status.
func (im *importer) activity(ctx context.Context, a programme.Activity) (cooperation.ActivityStatus, bool, error) {
	rows, err := im.tx.db.Query(ctx, `SELECT a.goal, a.line_of_action, a.lead_country,
			COALESCE((SELECT array_agg(c.country ORDER BY c.country) FROM activity_country c
				WHERE c.biennium = a.biennium AND c.code = a.code AND c.role = 'participant'), '{}') AS participants,
			a.title, a.description, a.expected_outputs,
			COALESCE(to_char(a.starts_on, 'YYYY-MM-DD'), '') AS starts_on, COALESCE(to_char(a.ends_on, 'YYYY-MM-DD'), '') AS ends_on,
			COALESCE(a.proposed_by, '') AS proposed_by, a.status, a.version
		FROM activity a WHERE a.biennium = $1 AND a.code = $2 FOR UPDATE`, im.biennium, a.Code)
	if err != nil {
		return "", false, fmt.Errorf("read: %w", err)
	}
	old, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[storedActivity])
	if errors.Is(err, pgx.ErrNoRows) {
		if err := im.tx.insertActivity(ctx, im.biennium, a, a.Status, a.ProposedBy); err != nil {
			return "", false, err
		}
		im.counts[KindActivity].Created++
		return a.Status, true, im.tx.Audit(ctx, "", importActor, ActivityRef(im.biennium, a.Code), "imported",
			map[string]any{"status": a.Status, "version": 1})
	}
	if err != nil {
		return "", false, fmt.Errorf("read: %w", err)
	}
	changed := changedFields(old, a)
	if len(changed) == 0 {
		im.counts[KindActivity].Unchanged++
		return old.Status, false, nil
	}
	if !slices.Contains(editableStatuses, old.Status) {
		return "", false, fmt.Errorf("%s cannot change once the activity is %s (the file changes it)",
			joinFields(changed), old.Status)
	}
	version, err := im.tx.updateActivity(ctx, im.biennium, a, old, changed)
	if err != nil {
		return "", false, err
	}
	im.counts[KindActivity].Updated++
	return old.Status, false, im.tx.Audit(ctx, "", importActor, ActivityRef(im.biennium, a.Code), "updated",
		map[string]any{"fields": changed, "version": version})
}

func joinFields(fields []string) string {
	b, _ := json.Marshal(fields)
	return string(b)
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	if c == nil {
		c = []string{}
	}
	slices.Sort(c)
	return c
}

// changedFields names the fields of a that differ from what is stored.
func changedFields(old storedActivity, a programme.Activity) []string {
	var out []string
	check := func(name string, same bool) {
		if !same {
			out = append(out, name)
		}
	}
	check("goal", old.Goal == a.Goal)
	check("line_of_action", old.LineOfAction == a.LineOfAction)
	check("lead", old.LeadCountry == a.Lead)
	check("participants", slices.Equal(sortedCopy(old.Participants), sortedCopy(a.Participants)))
	check("title", old.Title == a.Title)
	check("description", old.Description == a.Description)
	check("expected_outputs", slices.Equal(old.ExpectedOutputs, a.ExpectedOutputs) ||
		len(old.ExpectedOutputs)+len(a.ExpectedOutputs) == 0)
	check("starts_on", old.StartsOn == dateText(a.StartsOn))
	check("ends_on", old.EndsOn == dateText(a.EndsOn))
	check("proposed_by", old.ProposedBy == a.ProposedBy)
	return out
}

func proposalFields(a programme.Activity) ProposalFields {
	outputs := a.ExpectedOutputs
	if outputs == nil {
		outputs = []string{}
	}
	return ProposalFields{Title: a.Title, Description: a.Description, ExpectedOutputs: outputs,
		StartsOn: dateText(a.StartsOn), EndsOn: dateText(a.EndsOn)}
}

// insertActivity writes a new activity, its countries and its version 1.
func (s *Store) insertActivity(ctx context.Context, biennium string, a programme.Activity, status cooperation.ActivityStatus, proposedBy string) error {
	pf := proposalFields(a)
	_, err := s.db.Exec(ctx, `INSERT INTO activity (biennium, code, goal, line_of_action, lead_country, title,
			description, expected_outputs, starts_on, ends_on, proposed_by, status, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, '')::date, NULLIF($10, '')::date, NULLIF($11, ''), $12, 1)`,
		biennium, a.Code, a.Goal, a.LineOfAction, a.Lead, pf.Title, pf.Description, pf.ExpectedOutputs,
		pf.StartsOn, pf.EndsOn, proposedBy, status)
	if err != nil {
		return fmt.Errorf("create activity %s/%s: %w", biennium, a.Code, err)
	}
	if err := s.writeCountries(ctx, biennium, a); err != nil {
		return err
	}
	return s.insertVersion(ctx, biennium, a.Code, 1, pf, proposedBy)
}

func (s *Store) insertVersion(ctx context.Context, biennium, code string, version int, pf ProposalFields, author string) error {
	b, err := json.Marshal(pf)
	if err != nil {
		return fmt.Errorf("encode version %d of %s/%s: %w", version, biennium, code, err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO activity_version (biennium, code, version, fields, author)
		VALUES ($1, $2, $3, $4, NULLIF($5, ''))`, biennium, code, version, b, author); err != nil {
		return fmt.Errorf("store version %d of %s/%s: %w", version, biennium, code, err)
	}
	return nil
}

// writeCountries makes the activity's lead and participants those of a.
func (s *Store) writeCountries(ctx context.Context, biennium string, a programme.Activity) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM activity_country WHERE biennium = $1 AND code = $2`, biennium, a.Code); err != nil {
		return fmt.Errorf("replace countries of %s/%s: %w", biennium, a.Code, err)
	}
	_, err := s.db.Exec(ctx, `INSERT INTO activity_country (biennium, code, country, role)
		SELECT $1, $2, $3, 'lead' UNION ALL SELECT $1, $2, p, 'participant' FROM unnest($4::text[]) AS p`,
		biennium, a.Code, a.Lead, a.Participants)
	if err != nil {
		return fmt.Errorf("write countries of %s/%s: %w", biennium, a.Code, err)
	}
	return nil
}

// updateActivity applies a changed file to a stored activity. A change of
// text is a new version (reviewers see what changed); a change of goal, line
// or countries alone is not. It returns the activity's version.
func (s *Store) updateActivity(ctx context.Context, biennium string, a programme.Activity, old storedActivity, changed []string) (int, error) {
	version := old.Version
	textChanged := slices.ContainsFunc(changed, func(f string) bool {
		return slices.Contains([]string{"title", "description", "expected_outputs", "starts_on", "ends_on"}, f)
	})
	pf := proposalFields(a)
	if textChanged {
		version++
		if err := s.insertVersion(ctx, biennium, a.Code, version, pf, importActor); err != nil {
			return 0, err
		}
	}
	_, err := s.db.Exec(ctx, `UPDATE activity SET goal = $3, line_of_action = $4, lead_country = $5, title = $6,
			description = $7, expected_outputs = $8, starts_on = NULLIF($9, '')::date, ends_on = NULLIF($10, '')::date,
			proposed_by = NULLIF($11, ''), version = $12, updated_at = now()
		WHERE biennium = $1 AND code = $2`, biennium, a.Code, a.Goal, a.LineOfAction, a.Lead, pf.Title,
		pf.Description, pf.ExpectedOutputs, pf.StartsOn, pf.EndsOn, a.ProposedBy, version)
	if err != nil {
		return 0, fmt.Errorf("update activity %s/%s: %w", biennium, a.Code, err)
	}
	if slices.Contains(changed, "lead") || slices.Contains(changed, "participants") {
		if err := s.writeCountries(ctx, biennium, a); err != nil {
			return 0, err
		}
	}
	return version, nil
}

// ProposeActivity stores a new proposal for an imported programme, status
// proposed and version 1, with an audit line by `by`. Its goal, line of
// action and countries must exist and its code must be new; otherwise it
// returns programme.Errors naming each field, and writes nothing. An empty
// biennium takes the proposal's own.
func (s *Store) ProposeActivity(ctx context.Context, biennium string, p *programme.ActivityProposal, by string) error {
	if biennium == "" {
		biennium = p.Biennium
	}
	fail := func(err error) error { return fmt.Errorf("propose activity %s/%s: %w", biennium, p.Code, err) }
	if p.Biennium != "" && p.Biennium != biennium {
		return fail(programme.Errors{{Field: "biennium", Message: fmt.Sprintf("the file says %s, not %s", p.Biennium, biennium)}})
	}
	return s.InTx(ctx, func(tx *Store) error {
		errs, err := tx.checkProposal(ctx, biennium, p)
		if err != nil {
			return fail(err)
		}
		if len(errs) > 0 {
			return fail(errs)
		}
		a := p.Activity
		proposedBy := a.ProposedBy
		if proposedBy == "" {
			// A focal point proposing for themselves needs no proposed_by.
			if known, err := tx.personExists(ctx, by); err != nil {
				return fail(err)
			} else if known {
				proposedBy = by
			}
		}
		if err := tx.insertActivity(ctx, biennium, a, cooperation.ActivityProposed, proposedBy); err != nil {
			if IsUniqueViolation(err) {
				return fail(programme.Errors{{Field: "code", Message: fmt.Sprintf("activity %s already exists in programme %s", a.Code, biennium)}})
			}
			return fail(err)
		}
		actor := by
		if actor == "" {
			actor = proposedBy
		}
		return tx.Audit(ctx, "", actor, ActivityRef(biennium, a.Code), "proposed",
			map[string]any{"version": 1, "proposed_by": proposedBy})
	})
}

// checkProposal checks a proposal's references against the database.
func (s *Store) checkProposal(ctx context.Context, biennium string, p *programme.ActivityProposal) (programme.Errors, error) {
	var errs programme.Errors
	add := func(field, format string, args ...any) {
		errs = append(errs, programme.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	var hasProgramme, hasGoal, hasLine bool
	var status string
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM programme WHERE biennium = $1),
			EXISTS (SELECT 1 FROM goal WHERE biennium = $1 AND number = $2),
			EXISTS (SELECT 1 FROM line_of_action WHERE biennium = $1 AND number = $3),
			COALESCE((SELECT status FROM activity WHERE biennium = $1 AND code = $4), '')`,
		biennium, p.Goal, p.LineOfAction, p.Code).Scan(&hasProgramme, &hasGoal, &hasLine, &status)
	if err != nil {
		return nil, fmt.Errorf("check proposal: %w", err)
	}
	if !hasProgramme {
		add("biennium", "no programme %s (import it first)", biennium)
		return errs, nil
	}
	if !hasGoal {
		add("goal", "no goal %d in programme %s", p.Goal, biennium)
	}
	if !hasLine {
		add("line_of_action", "no line of action %d in programme %s", p.LineOfAction, biennium)
	}
	if status != "" {
		add("code", "activity %s already exists in programme %s (status %s); choose another code", p.Code, biennium, status)
	}
	codes := append([]string{p.Lead}, p.Participants...)
	for i, c := range p.Participants {
		// A country takes part once, and the lead as lead: a second row
		// would break the activity's one row per country.
		if slices.Contains(codes[:i+1], c) {
			add(fmt.Sprintf("participants[%d]", i), "country %q is listed twice (or is the lead)", c)
		}
	}
	rows, err := s.db.Query(ctx, `SELECT c FROM unnest($1::text[]) AS c WHERE NOT EXISTS (SELECT 1 FROM country WHERE code = c)`, codes)
	if err != nil {
		return nil, fmt.Errorf("check proposal countries: %w", err)
	}
	missing, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("check proposal countries: %w", err)
	}
	for i, c := range codes {
		if !slices.Contains(missing, c) {
			continue
		}
		field := "lead"
		if i > 0 {
			field = fmt.Sprintf("participants[%d]", i-1)
		}
		add(field, "no country %q", c)
	}
	if p.ProposedBy != "" {
		known, err := s.personExists(ctx, p.ProposedBy)
		if err != nil {
			return nil, err
		}
		if !known {
			add("proposed_by", "no person %s (a focal point, committee member or secretariat user)", p.ProposedBy)
		}
	}
	return errs, nil
}

func (s *Store) personExists(ctx context.Context, email string) (bool, error) {
	var ok bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM person WHERE email = $1)`, email).Scan(&ok); err != nil {
		return false, fmt.Errorf("look up person %s: %w", email, err)
	}
	return ok, nil
}
