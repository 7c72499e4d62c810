package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// postForm builds the request a browser would send with body as its form.
func postForm(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/l/token", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// checkFormErrors holds for every form, good or bad: each error sits beside a
// field the form has, in words a person can read, and every value shown back
// is valid UTF-8 so that the page re-rendering it cannot break.
func checkFormErrors(t *testing.T, f *form, fields []string) {
	for name, msg := range f.errors {
		require.Contains(t, fields, name, "error on an unknown field")
		require.NotEmpty(t, msg)
		require.False(t, strings.HasPrefix(msg, "err_"), "untranslated message %q", msg)
	}
	for name, v := range f.values {
		require.True(t, utf8.ValidString(v), "value of %s shown back is not UTF-8", name)
	}
}

var reportFields = []string{"status", "progress", "results", "difficulties", "next_steps"}

// FuzzReportForm posts arbitrary bodies to the report form's reading and
// checking: it never panics, a body it cannot parse is a clear error, and a
// form it accepts is one the store accepts too.
func FuzzReportForm(f *testing.F) {
	f.Add("status=on_track&progress=Workshop+held", "es")
	f.Add("status=completed&progress=Done&results=a%0D%0Ab&difficulties=&next_steps=none", "en")
	f.Add("status=late&progress=", "pt")
	f.Add("status=on_track&progress=%FF%FE", "fr")
	f.Add("status=on_track&progress=%20%20%0A", "es")
	f.Add("%zz=1&status", "en")
	f.Add("status=on_track&status=delayed&progress=x;y", "xx")
	f.Fuzz(func(t *testing.T, body, lang string) {
		r := postForm(body)
		fm, err := parseForm(r, lang)
		if err != nil {
			require.Contains(t, err.Error(), "parse form")
			return
		}
		in := store.NewSubmission{
			Status:       fm.choice(r, "status", store.SubmissionStatuses),
			Progress:     fm.text(r, "progress", store.MaxReportText, true),
			Results:      fm.text(r, "results", store.MaxReportText, false),
			Difficulties: fm.text(r, "difficulties", store.MaxReportText, false),
			NextSteps:    fm.text(r, "next_steps", store.MaxReportText, false),
		}
		checkFormErrors(t, fm, reportFields)
		if !fm.ok() {
			return
		}
		require.Contains(t, store.SubmissionStatuses, in.Status)
		require.NotEmpty(t, strings.TrimSpace(in.Progress))
		for _, s := range []string{in.Progress, in.Results, in.Difficulties, in.NextSteps} {
			require.True(t, utf8.ValidString(s))
			require.LessOrEqual(t, utf8.RuneCountInString(s), store.MaxReportText)
			require.NotContains(t, s, "\r\n", "line endings are normalised")
		}
	})
}

var proposalFields = []string{"title", "description", "expected_outputs", "starts_on", "ends_on"}

// FuzzProposalForm does the same for the fields a proposal and its revision
// share: an accepted form passes store.ProposalFields.Validate, so a person
// never gets past the form only to meet an internal error.
func FuzzProposalForm(f *testing.F) {
	f.Add("title=Regional+workshop&description=On+open+data&expected_outputs=report%0Aworkshop&starts_on=2017-03-01&ends_on=2018-06-30", "es")
	f.Add("title=T&description=D&starts_on=2018-06-30&ends_on=2017-03-01", "en")
	f.Add("title=T&description=D&starts_on=2017-02-30&ends_on=2018-01-01", "pt")
	f.Add("title=T&description=D&starts_on=+2017-03-01+&ends_on=2017-03-01", "fr")
	f.Add("title=%C3%A9&description=%E2%82%AC&starts_on=2017-01-01&ends_on=2017-01-02", "es")
	f.Add("title=&description=&starts_on=&ends_on=", "en")
	f.Add("title=%80&description=x&starts_on=0000-01-01&ends_on=9999-12-31", "en")
	f.Fuzz(func(t *testing.T, body, lang string) {
		r := postForm(body)
		fm, err := parseForm(r, lang)
		if err != nil {
			require.Contains(t, err.Error(), "parse form")
			return
		}
		p := readProposalFields(fm, r, cooperation.Biennium{First: 2017, Last: 2018})
		checkFormErrors(t, fm, proposalFields)
		if !fm.ok() {
			return
		}
		require.NoError(t, p.Validate(), "the form accepted what the store refuses")
		require.NotEmpty(t, p.StartsOn)
		require.NotEmpty(t, p.EndsOn)
		require.LessOrEqual(t, p.StartsOn, p.EndsOn)
		require.True(t, p.StartsOn >= "2017-01-01" && p.EndsOn <= "2018-12-31", "within the biennium: %s to %s", p.StartsOn, p.EndsOn)
		for _, v := range []string{p.Title, p.Description, strings.Join(p.ExpectedOutputs, "\n")} {
			require.NoError(t, cooperation.Text("field", v, store.MaxReportText, false), "no control character gets through")
		}
		require.False(t, slices.Contains(p.ExpectedOutputs, ""), "blank lines are dropped")
	})
}
