package operations

import (
	"fmt"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/programme"
)

// checkTexts holds the texts given in other languages to the rules of the
// texts they translate: a working language each, the original's text the
// one the field holds, every text within the field's bounds.
func checkTexts(r ProposalRequest) []error {
	var errs []error
	for field, t := range r.Texts {
		var max int
		var original string
		switch field {
		case "title":
			max, original = cooperation.MaxTitle, r.Title
		case "description":
			max, original = cooperation.MaxReportText, r.Description
		default:
			var i int
			if _, err := fmt.Sscanf(field, "expected_outputs/%d", &i); err != nil || i < 0 || i >= len(r.ExpectedOutputs) ||
				programme.OutputField(i) != field {
				errs = append(errs, &cooperation.FieldError{Field: "texts", Key: cooperation.ErrChoice,
					Detail: fmt.Sprintf("%q is not a field with a text (title, description, expected_outputs/N)", cooperation.Excerpt(field, 40))})
				continue
			}
			max, original = cooperation.MaxOutputs, r.ExpectedOutputs[i]
		}
		if fe := t.Check(); fe != nil {
			errs = append(errs, &cooperation.FieldError{Field: field, Key: fe.Key, Detail: fe.Detail})
			continue
		}
		if t.In[t.Original] != original {
			errs = append(errs, &cooperation.FieldError{Field: field, Key: cooperation.ErrChoice,
				Detail: fmt.Sprintf("its text in its original language %s must be the one the field holds", t.Original)})
		}
		for _, body := range t.In {
			errs = append(errs, cooperation.Text(field, body, max, true))
		}
	}
	return errs
}

// Translation is a proposal's title, description and expected outputs in
// one language other than the one they were written in, as the portal's
// forms take them: the outputs one for each of the original's, in its
// order. A translation with no text at all is none.
type Translation struct {
	Language        string
	Title           string
	Description     string
	ExpectedOutputs []string
}

func (t Translation) empty() bool {
	return strings.TrimSpace(t.Title) == "" && strings.TrimSpace(t.Description) == "" && len(t.ExpectedOutputs) == 0
}

// TranslationField is the form's name of a field of the translation into
// lang: "title_pt", "description_pt", "expected_outputs_pt".
func TranslationField(field, lang string) string { return field + "_" + lang }

// TranslatedTexts makes the texts of a proposal written in original, with
// its translations, the programme.Texts the store keeps: every text in its
// original language, and beside it each text a translation gives (a field
// it leaves empty is not translated, as in a programme file). Refused, each
// naming its field as the forms do: an original language outside the four
// (texts_language, under cooperation.TextSet.Check), a translation in the
// original's own language (texts_language), a translation listing another
// number of outputs than the original, a text too long for its field.
func TranslatedTexts(original, title, description string, outputs []string, trs []Translation) (programme.Texts, error) {
	var errs []error
	if fe := (programme.Text{Original: original, In: map[string]string{original: title}}).Check(); fe != nil &&
		fe.Key == cooperation.ErrOriginalLanguage {
		errs = append(errs, &cooperation.FieldError{Field: "texts_language", Key: fe.Key, Detail: fe.Detail})
	}
	ts := programme.Texts{}
	add := func(field, lang, body string) {
		if ts[field].In == nil {
			ts[field] = programme.Text{Original: original, In: map[string]string{}}
		}
		ts[field].In[lang] = body
	}
	if strings.TrimSpace(title) != "" {
		add("title", original, title)
	}
	if strings.TrimSpace(description) != "" {
		add("description", original, description)
	}
	for i, o := range outputs {
		add(programme.OutputField(i), original, o)
	}
	for _, tr := range trs {
		if tr.empty() {
			continue
		}
		fe := checkTranslation(original, len(outputs), tr)
		if len(fe) > 0 {
			errs = append(errs, fe...)
			continue
		}
		if strings.TrimSpace(tr.Title) != "" {
			add("title", tr.Language, tr.Title)
		}
		if strings.TrimSpace(tr.Description) != "" {
			add("description", tr.Language, tr.Description)
		}
		for i, o := range tr.ExpectedOutputs {
			add(programme.OutputField(i), tr.Language, o)
		}
	}
	if err := invalid(errs...); err != nil {
		return nil, err
	}
	return ts, nil
}

// checkTranslation holds one translation to the rules of TranslatedTexts.
func checkTranslation(original string, outputs int, tr Translation) []error {
	field := func(name string) string { return TranslationField(name, tr.Language) }
	switch {
	case !cooperation.Language(tr.Language):
		return []error{&cooperation.FieldError{Field: "texts_language", Key: cooperation.ErrChoice,
			Detail: fmt.Sprintf("a translation in unknown language %q (expected one of %v)", cooperation.Excerpt(tr.Language, 10), cooperation.Languages)}}
	case tr.Language == original:
		return []error{&cooperation.FieldError{Field: "texts_language", Key: cooperation.ErrTranslationOriginal,
			Detail: fmt.Sprintf("a translation is given in %s, the language the texts are written in", original)}}
	}
	errs := []error{
		cooperation.Text(field("title"), tr.Title, cooperation.MaxTitle, false),
		cooperation.Text(field("description"), tr.Description, cooperation.MaxReportText, false),
		cooperation.Outputs(field("expected_outputs"), tr.ExpectedOutputs, cooperation.MaxOutputs),
	}
	if n := len(tr.ExpectedOutputs); n > 0 && n != outputs {
		errs = append(errs, &cooperation.FieldError{Field: field("expected_outputs"), Key: cooperation.ErrOutputsCount, Max: outputs,
			Detail: fmt.Sprintf("%d expected outputs in %s, the original lists %d", n, tr.Language, outputs)})
	}
	var out []error
	for _, e := range errs {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}
