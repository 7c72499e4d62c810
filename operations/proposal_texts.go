package operations

import (
	"fmt"

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
		if !cooperation.Language(t.Original) || t.In[t.Original] != original {
			errs = append(errs, &cooperation.FieldError{Field: field, Key: cooperation.ErrChoice,
				Detail: fmt.Sprintf("its original language %q must be one of %v, with the text the field holds", t.Original, cooperation.Languages)})
		}
		for lang, body := range t.In {
			if !cooperation.Language(lang) {
				errs = append(errs, &cooperation.FieldError{Field: field, Key: cooperation.ErrChoice,
					Detail: fmt.Sprintf("unknown language %q (expected one of %v)", cooperation.Excerpt(lang, 10), cooperation.Languages)})
				continue
			}
			errs = append(errs, cooperation.Text(field, body, max, true))
		}
	}
	return errs
}
