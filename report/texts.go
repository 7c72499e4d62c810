package report

import (
	"html/template"
	"slices"
	"strconv"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
)

// text is the text stored as plain as a reader of the report's language
// is given it (cooperation.TextSet.Show), marked with its original
// language when it is not theirs; such a text is kept in w.foreign, so that
// the HTML writes it in an element naming its language (Part).
func (w words) text(texts map[string]map[string]store.Text, subject, field, plain string) string {
	s := textSet(texts, subject, field, plain).Show(w.Lang)
	out := mail.ShownText(s)
	if s.Foreign() && w.foreign != nil {
		w.foreign[out] = s
	}
	return out
}

// Part writes a text of the report in HTML: a programme's text shown in
// its original language (see text) in an element naming that language,
// any other as it is, escaped.
func (w words) Part(s string) template.HTML {
	if shown, ok := w.foreign[s]; ok {
		return mail.ShownHTML(shown)
	}
	return template.HTML(template.HTMLEscapeString(s))
}

// localized is r with its programme's texts in w's language (see text),
// every slice copied: r itself is left as it is, so that one report is
// written in several languages.
func localized(r Report, w words) Report {
	if len(r.Texts) == 0 {
		return r
	}
	ts := r.Texts
	goal := func(n int, title string) string { return w.text(ts, "goal/"+strconv.Itoa(n), "title", title) }
	activity := func(code, title string) string { return w.text(ts, "activity/"+code, "title", title) }
	r.ProgrammeTitle = w.text(ts, "programme", "title", r.ProgrammeTitle)
	r.Goals = slices.Clone(r.Goals)
	for i, g := range r.Goals {
		r.Goals[i].Title = goal(g.Number, g.Title)
		acts := slices.Clone(g.Activities)
		for j, a := range acts {
			acts[j].Title = activity(a.Code, a.Title)
			outputs := slices.Clone(a.ExpectedOutputs)
			for k, o := range outputs {
				outputs[k] = w.text(ts, "activity/"+a.Code, programme.OutputField(k), o)
			}
			acts[j].ExpectedOutputs = outputs
		}
		r.Goals[i].Activities = acts
	}
	r.Summary.Goals = slices.Clone(r.Summary.Goals)
	for i, g := range r.Summary.Goals {
		r.Summary.Goals[i].Title = goal(g.Number, g.Title)
	}
	r.Missing = slices.Clone(r.Missing)
	for i, m := range r.Missing {
		tasks := slices.Clone(m.Tasks)
		for j, t := range tasks {
			tasks[j].Title = activity(t.Code, t.Title)
		}
		r.Missing[i].Tasks = tasks
	}
	r.Evidence = slices.Clone(r.Evidence)
	for i, e := range r.Evidence {
		r.Evidence[i].Title = activity(e.Code, e.Title)
	}
	return r
}

// textSet is the text stored as plain in every language the programme
// gave it in.
func textSet(texts map[string]map[string]store.Text, subject, field, plain string) cooperation.TextSet {
	return programme.Texts(texts[subject]).Set(field, plain)
}

// ProgrammeTitleSet is the programme's title in every language given.
func (r Report) ProgrammeTitleSet() cooperation.TextSet {
	return textSet(r.Texts, "programme", "title", r.ProgrammeTitle)
}
