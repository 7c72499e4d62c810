package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
)

// Programme is a biennium's programme and its decision rule.
type Programme struct {
	Biennium       string    `json:"biennium" db:"biennium"`
	Title          string    `json:"title" db:"title"`
	VotingDays     int       `json:"voting_days" db:"voting_days"`
	MaxRounds      int       `json:"max_rounds" db:"max_rounds"`
	RecuseInvolved bool      `json:"recuse_involved" db:"recuse_involved"`
	CreatedAt      time.Time `json:"created_at" db:"created_at"`
	UpdatedAt      time.Time `json:"updated_at" db:"updated_at"`
}

const programmeColumns = `biennium, title, voting_days, max_rounds, recuse_involved, created_at, updated_at`

// GetProgramme returns one programme, or ErrNotFound.
func (s *Store) GetProgramme(ctx context.Context, biennium string) (Programme, error) {
	rows, err := s.db.Query(ctx, `SELECT `+programmeColumns+` FROM programme WHERE biennium = $1`, biennium)
	if err != nil {
		return Programme{}, fmt.Errorf("load programme %s: %w", biennium, err)
	}
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Programme])
	if err != nil {
		return Programme{}, fmt.Errorf("load programme %s: %w", biennium, notFound(err))
	}
	return p, nil
}

// ListProgrammes returns every programme, newest biennium first.
func (s *Store) ListProgrammes(ctx context.Context) ([]Programme, error) {
	rows, err := s.db.Query(ctx, `SELECT `+programmeColumns+` FROM programme ORDER BY biennium DESC`)
	if err != nil {
		return nil, fmt.Errorf("list programmes: %w", err)
	}
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByName[Programme])
	if err != nil {
		return nil, fmt.Errorf("list programmes: %w", err)
	}
	return ps, nil
}

// SummaryPerson is a focal point, committee member or secretariat user as
// `bienal programme show` lists them.
type SummaryPerson struct {
	Name      string `json:"name" db:"name"`
	Email     string `json:"email" db:"email"`
	Country   string `json:"country,omitempty" db:"country"`
	Language  string `json:"language" db:"language"`
	TimeZone  string `json:"time_zone" db:"time_zone"`
	Role      string `json:"role,omitempty" db:"role"`
	TermStart string `json:"term_start,omitempty" db:"term_start"`
	TermEnd   string `json:"term_end,omitempty" db:"term_end"`
}

// ProgrammeSummary is everything `bienal programme show` prints.
type ProgrammeSummary struct {
	Programme
	Goals              []programme.Goal                   `json:"goals"`
	LinesOfAction      []programme.LineOfAction           `json:"lines_of_action"`
	Countries          []programme.Country                `json:"countries"`
	FocalPoints        []SummaryPerson                    `json:"focal_points"`
	Committee          []SummaryPerson                    `json:"committee"`
	Secretariat        []SummaryPerson                    `json:"secretariat"`
	ActivitiesByStatus map[cooperation.ActivityStatus]int `json:"activities_by_status"`
	ActivityCount      int                                `json:"activity_count"`
}

// ProgrammeSummary gathers a programme with its goals, lines of action, the
// countries it involves, its people and its activities counted by status.
func (s *Store) ProgrammeSummary(ctx context.Context, biennium string) (ProgrammeSummary, error) {
	p, err := s.GetProgramme(ctx, biennium)
	if err != nil {
		return ProgrammeSummary{}, err
	}
	sum := ProgrammeSummary{Programme: p, ActivitiesByStatus: map[cooperation.ActivityStatus]int{}}
	fail := func(what string, err error) (ProgrammeSummary, error) {
		return ProgrammeSummary{}, fmt.Errorf("summarize programme %s: %s: %w", biennium, what, err)
	}
	if sum.Goals, err = collect[programme.Goal](ctx, s, `SELECT number, title FROM goal WHERE biennium = $1 ORDER BY number`, biennium); err != nil {
		return fail("goals", err)
	}
	if sum.LinesOfAction, err = collect[programme.LineOfAction](ctx, s, `SELECT number, title FROM line_of_action
		WHERE biennium = $1 ORDER BY number`, biennium); err != nil {
		return fail("lines of action", err)
	}
	if sum.Countries, err = collect[programme.Country](ctx, s, `SELECT code, name FROM country WHERE code IN (
			SELECT country FROM focal_point WHERE biennium = $1 UNION SELECT country FROM committee_member WHERE biennium = $1
			UNION SELECT country FROM activity_country WHERE biennium = $1) ORDER BY code`, biennium); err != nil {
		return fail("countries", err)
	}
	const person = `p.name, p.email, p.language, p.time_zone`
	if sum.FocalPoints, err = collectByName[SummaryPerson](ctx, s, `SELECT `+person+`, f.country, '' AS role,
			'' AS term_start, '' AS term_end FROM focal_point f JOIN person p USING (email)
		WHERE f.biennium = $1 ORDER BY f.country, p.email`, biennium); err != nil {
		return fail("focal points", err)
	}
	if sum.Committee, err = collectByName[SummaryPerson](ctx, s, `SELECT `+person+`, c.country, c.role,
			COALESCE(to_char(c.term_start, 'YYYY-MM-DD'), '') AS term_start, COALESCE(to_char(c.term_end, 'YYYY-MM-DD'), '') AS term_end
		FROM committee_member c JOIN person p USING (email) WHERE c.biennium = $1
		ORDER BY c.role = 'chair' DESC, c.country, p.email`, biennium); err != nil {
		return fail("committee", err)
	}
	if sum.Secretariat, err = collectByName[SummaryPerson](ctx, s, `SELECT `+person+`, '' AS country, u.role,
			'' AS term_start, '' AS term_end FROM secretariat_user u JOIN person p USING (email) ORDER BY p.email`); err != nil {
		return fail("secretariat", err)
	}
	rows, err := s.db.Query(ctx, `SELECT status, count(*)::int FROM activity WHERE biennium = $1 GROUP BY status`, biennium)
	if err != nil {
		return fail("activities", err)
	}
	var status cooperation.ActivityStatus
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&status, &n}, func() error {
		sum.ActivitiesByStatus[status] = n
		sum.ActivityCount += n
		return nil
	}); err != nil {
		return fail("activities", err)
	}
	return sum, nil
}

// collect reads rows into structs by column position.
func collect[T any](ctx context.Context, s *Store, sql string, args ...any) ([]T, error) {
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[T])
	if out == nil {
		out = []T{}
	}
	return out, err
}

// collectByName reads rows into structs by column name.
func collectByName[T any](ctx context.Context, s *Store, sql string, args ...any) ([]T, error) {
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[T])
	if out == nil {
		out = []T{}
	}
	return out, err
}

// Activity is a cooperation activity as the CLI and the portal show it.
// Dates are written YYYY-MM-DD, empty when unknown.
type Activity struct {
	Biennium        string                     `json:"biennium" db:"biennium"`
	Code            string                     `json:"code" db:"code"`
	Goal            int                        `json:"goal" db:"goal"`
	LineOfAction    int                        `json:"line_of_action" db:"line_of_action"`
	LeadCountry     string                     `json:"lead_country" db:"lead_country"`
	Participants    []string                   `json:"participants" db:"participants"`
	Title           string                     `json:"title" db:"title"`
	Description     string                     `json:"description" db:"description"`
	ExpectedOutputs []string                   `json:"expected_outputs" db:"expected_outputs"`
	StartsOn        string                     `json:"starts_on" db:"starts_on"`
	EndsOn          string                     `json:"ends_on" db:"ends_on"`
	Status          cooperation.ActivityStatus `json:"status" db:"status"`
	Round           int                        `json:"round" db:"round"`
	Version         int                        `json:"version" db:"version"`
	ProposedBy      string                     `json:"proposed_by" db:"proposed_by"`
	UpdatedAt       time.Time                  `json:"updated_at" db:"updated_at"`
	// Texts are the texts above in every language given, for readers.
	Texts ActivityTexts `json:"texts" db:"texts"`
}

// ActivityFilter narrows ListActivities; empty fields match everything.
type ActivityFilter struct {
	Biennium string                     `json:"biennium"`
	Status   cooperation.ActivityStatus `json:"status"`
}

var activitySelect = `SELECT a.biennium, a.code, a.goal, a.line_of_action, a.lead_country,
		COALESCE((SELECT array_agg(c.country ORDER BY c.country) FROM activity_country c
			WHERE c.biennium = a.biennium AND c.code = a.code AND c.role = 'participant'), '{}') AS participants,
		a.title, a.description, a.expected_outputs,
		COALESCE(to_char(a.starts_on, 'YYYY-MM-DD'), '') AS starts_on, COALESCE(to_char(a.ends_on, 'YYYY-MM-DD'), '') AS ends_on,
		a.status, a.round, a.version, COALESCE(a.proposed_by, '') AS proposed_by, a.updated_at,
		` + activityTextsSQL("a") + ` AS texts
	FROM activity a`

// ListActivities returns the activities that match f, by biennium, goal and code.
func (s *Store) ListActivities(ctx context.Context, f ActivityFilter) ([]Activity, error) {
	if f.Status != "" && !slices.Contains(cooperation.ActivityStatuses, f.Status) {
		return nil, fmt.Errorf("list activities: unknown status %q (expected one of %v)", f.Status, cooperation.ActivityStatuses)
	}
	as, err := collectByName[Activity](ctx, s, activitySelect+`
		WHERE ($1 = '' OR a.biennium = $1) AND ($2 = '' OR a.status = $2)
		ORDER BY a.biennium, a.goal, a.code`, f.Biennium, f.Status)
	if err != nil {
		return nil, fmt.Errorf("list activities: %w", err)
	}
	return as, nil
}

// GetActivity returns one activity, or ErrNotFound.
func (s *Store) GetActivity(ctx context.Context, biennium, code string) (Activity, error) {
	rows, err := s.db.Query(ctx, activitySelect+` WHERE a.biennium = $1 AND a.code = $2`, biennium, code)
	if err != nil {
		return Activity{}, fmt.Errorf("load activity %s/%s: %w", biennium, code, err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Activity])
	if err != nil {
		return Activity{}, fmt.Errorf("load activity %s/%s: %w", biennium, code, notFound(err))
	}
	return a, nil
}
