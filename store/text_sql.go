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
