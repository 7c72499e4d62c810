package web

import (
	"net/http"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
	"github.com/bienal/bienal/programme"
	"github.com/bienal/bienal/store"
)

// translatedFields are the fields of a translation, each with the label
// key of the field it translates.
var translatedFields = []struct{ name, label string }{
	{"title", "title"}, {"description", "description"}, {"expected_outputs", "f_outputs"},
}

// readTranslations reads the language a proposal's texts are written in and
// its translations, one fieldset per working language, the outputs one per
// line as the main form takes them. What was typed is kept to show again.
// A post without the language (a script's, not the form's) is taken as
// written in the page's language, the one the form offers first.
func readTranslations(f *form, r *http.Request) (string, []operations.Translation) {
	original := f.value(r, "texts_language")
	if _, given := r.PostForm["texts_language"]; !given {
		original = f.lang
		f.values["texts_language"] = original
	}
	var trs []operations.Translation
	for _, lang := range cooperation.Languages {
		trs = append(trs, operations.Translation{Language: lang,
			Title:           f.value(r, operations.TranslationField("title", lang)),
			Description:     f.multiline(r, operations.TranslationField("description", lang)),
			ExpectedOutputs: outputLines(f.multiline(r, operations.TranslationField("expected_outputs", lang)))})
	}
	return original, trs
}

// outputLines are the expected outputs of a text area, one per line, blank
// lines dropped.
func outputLines(v string) []string {
	var out []string
	for l := range strings.SplitSeq(v, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// translationsForm adds to an activity's form its stored texts' original
// language and translations. A translation is shown only while the text it
// translates is the one the activity holds (one revised without it
// translates an older text), and the outputs only when every one of them
// is translated, since the form lists them one per line.
func translationsForm(form map[string]string, a store.Activity, lang string) {
	original := a.Texts.Title.Original
	if original == "" {
		original = lang
	}
	form["texts_language"] = original
	current := func(t cooperation.TextSet) map[string]string {
		if t.Original == original && t.Current() {
			return t.In
		}
		return nil
	}
	for _, l := range cooperation.Languages {
		if l == original {
			continue
		}
		form[operations.TranslationField("title", l)] = current(a.Texts.Title)[l]
		form[operations.TranslationField("description", l)] = current(a.Texts.Description)[l]
		if outputsShownIn(a.Texts, original, l) {
			outputs := make([]string, len(a.Texts.ExpectedOutputs))
			for i, o := range a.Texts.ExpectedOutputs {
				outputs[i] = o.In[l]
			}
			form[operations.TranslationField("expected_outputs", l)] = strings.Join(outputs, "\n")
		}
	}
}

// outputsShownIn says the revise form shows the expected outputs' texts in
// lang: every output translated into it, for the outputs as they stand, as
// the form lists them one per line.
func outputsShownIn(at store.ActivityTexts, original, lang string) bool {
	for _, o := range at.ExpectedOutputs {
		if !o.Current() || o.Original != original || o.In[lang] == "" {
			return false
		}
	}
	return len(at.ExpectedOutputs) > 0
}

// keepUnshownOutputs keeps, in the texts a revision stores, the
// translations of expected outputs its form could not show (a language
// that translates some outputs and not others), for each output the
// revision leaves as it was: a revision replaces every text of its
// activity, and these were never on the page to be kept or removed.
func keepUnshownOutputs(texts programme.Texts, a store.Activity, original string, outputs []string) {
	for _, lang := range cooperation.Languages {
		if lang == original || outputsShownIn(a.Texts, original, lang) {
			continue
		}
		for i, o := range a.Texts.ExpectedOutputs {
			t, ok := texts[programme.OutputField(i)]
			if !ok || i >= len(outputs) || outputs[i] != o.Stored || !o.Current() || o.Original != original ||
				o.In[lang] == "" || t.In[lang] != "" {
				continue
			}
			t.In[lang] = o.In[lang]
		}
	}
}

// translationView is one translation's fieldset: its language, and its
// fields labelled in the page's language.
type translationView struct {
	Lang, PageLang string
	Title          inputView
	// Areas are the description and the expected outputs.
	Areas []fieldView
}

// Translations are the fieldsets of a proposal form's translations: one for
// each working language but the one its texts are written in, and one for
// that language too while it holds text, so that a translation the person
// typed before choosing its language as the original is shown with its
// refusal rather than lost.
func (p page) Translations() []translationView {
	original := p.Form["texts_language"]
	if original == "" {
		original = p.Lang
	}
	var out []translationView
	for _, l := range cooperation.Languages {
		name := func(field string) string { return operations.TranslationField(field, l) }
		if l == original && p.Form[name("title")]+p.Form[name("description")]+p.Form[name("expected_outputs")] == "" {
			continue
		}
		out = append(out, translationView{Lang: l, PageLang: p.Lang,
			Title: newInput(p, name("title"), "title", "text"),
			Areas: []fieldView{newField(p, name("description"), "description"), newField(p, name("expected_outputs"), "f_outputs")}})
	}
	return out
}

// TranslationsOpen tells whether the translations section opens with the
// page: some translation holds text, or a refusal.
func (p page) TranslationsOpen() bool {
	for _, l := range cooperation.Languages {
		for _, f := range translatedFields {
			name := operations.TranslationField(f.name, l)
			if p.Form[name] != "" || p.Errors[name] != "" {
				return true
			}
		}
	}
	return false
}

// LanguageOptions are the working languages the texts may be written in,
// each named in its own language, as the language switch names them.
func (p page) LanguageOptions() []langLink { return languageChoices() }

// SummaryWithTexts is Summary over a proposal form's fields, then its texts'
// language and its translations' fields, each named with its language.
func (p page) SummaryWithTexts(id string, fields ...string) summaryView {
	v := p.Summary(id, "", append(fields, "texts_language", "f_texts_language")...)
	for _, l := range cooperation.Languages {
		for _, f := range translatedFields {
			name := operations.TranslationField(f.name, l)
			if msg := p.Errors[name]; msg != "" {
				v.Items = append(v.Items, summaryItem{ID: name, Label: p.T(f.label) + " (" + p.T("translation_"+l) + ")", Message: msg})
			}
		}
	}
	return v
}
