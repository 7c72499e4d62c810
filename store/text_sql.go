package store

import (
	"strings"

	"github.com/bienal/bienal/cooperation"
)

// textSetSQL selects, as the JSON of a cooperation.TextSet, the text the
// column stored holds for readers together with every language the
// programme gave it in (programme_text). biennium, subject and field are
// SQL expressions: the row's biennium, its subject ("'activity/' ||
// a.code") and the field ("'title'"). Every query that reads a text meant
// for readers reads it through here, so that pages, e-mails and reports
// choose its language by one rule (cooperation.TextSet.Show).
func textSetSQL(biennium, subject, field, stored string) string {
	r := strings.NewReplacer("{b}", biennium, "{s}", subject, "{f}", field, "{v}", stored)
	return r.Replace(`(SELECT jsonb_build_object('stored', {v}, 'original_language', min(pt.original_language),
			'in', jsonb_object_agg(pt.language, pt.body) FILTER (WHERE pt.language IS NOT NULL))
		FROM (SELECT 1) one LEFT JOIN programme_text pt
			ON pt.biennium = {b} AND pt.subject = {s} AND pt.field = {f})`)
}

// titlesJoinSQL joins, as alias, the languages of every title of a
// subject: biennium and subject are the SQL expressions of the row's. A
// query that reads the titles of many rows (a reminder sweep reads one per
// open task and person) joins them once rather than asking per row;
// joinedTitleSQL then selects a row's title as textSetSQL does.
func titlesJoinSQL(alias, biennium, subject string) string {
	return `LEFT JOIN (SELECT biennium, subject, min(original_language) AS original, jsonb_object_agg(language, body) AS texts
		FROM programme_text WHERE field = 'title' GROUP BY biennium, subject) ` + alias +
		` ON ` + alias + `.biennium = ` + biennium + ` AND ` + alias + `.subject = ` + subject
}

// joinedTitleSQL selects the title stored in column stored with the
// languages titlesJoinSQL joined as alias, as the three columns
// scanTitle reads: decoding no JSON object per row, where most titles have
// no other language.
func joinedTitleSQL(alias, stored string) string {
	return stored + `, COALESCE(` + alias + `.original, ''), ` + alias + `.texts`
}

// scanTitle are the destinations of joinedTitleSQL's columns.
func scanTitle(t *cooperation.TextSet) []any { return []any{&t.Stored, &t.Original, &t.In} }

func activitySubject(a string) string { return "'activity/' || " + a + ".code" }

// activityTitleSQL is the title of the activity row a as a TextSet.
func activityTitleSQL(a string) string {
	return textSetSQL(a+".biennium", activitySubject(a), "'title'", a+".title")
}

// goalTitleSQL is the title of the goal row g as a TextSet.
func goalTitleSQL(g string) string {
	return textSetSQL(g+".biennium", "'goal/' || "+g+".number", "'title'", g+".title")
}

// ActivityTexts are an activity's texts for readers, each in every
// language given.
type ActivityTexts struct {
	Title           cooperation.TextSet   `json:"title"`
	Description     cooperation.TextSet   `json:"description"`
	ExpectedOutputs []cooperation.TextSet `json:"expected_outputs"`
}

// activityTextsSQL is every text of the activity row a, as ActivityTexts.
func activityTextsSQL(a string) string {
	return `jsonb_build_object('title', ` + activityTitleSQL(a) +
		`, 'description', ` + textSetSQL(a+".biennium", activitySubject(a), "'description'", a+".description") +
		`, 'expected_outputs', COALESCE((SELECT jsonb_agg(` +
		textSetSQL(a+".biennium", activitySubject(a), "'expected_outputs/' || (o.i - 1)", "o.body") + ` ORDER BY o.i)
			FROM unnest(` + a + `.expected_outputs) WITH ORDINALITY AS o(body, i)), '[]'))`
}
