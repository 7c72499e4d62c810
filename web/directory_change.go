package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/operations"
)

// directoryActions are the directory's forms, by the last part of the
// address each posts to; each calls one operation.
var directoryActions = map[string]func(s *server, r *http.Request, f *form, biennium, by string) (string, error){
	"replace": func(s *server, r *http.Request, f *form, b, by string) (string, error) {
		out, err := s.ops.Replace(r.Context(), operations.ReplaceRequest{Biennium: b, Country: f.value(r, "country"),
			Role: f.value(r, "role"), From: f.value(r, "from"), To: personFields(r, f), Effective: f.value(r, "effective"),
			Reference: f.multiline(r, "reference"), By: by})
		if err == nil && out.Scheduled != nil {
			return "replace-scheduled", nil
		}
		return "", err
	},
	"replacement-cancel": func(s *server, r *http.Request, f *form, _, by string) (string, error) {
		// A number that is none, or a change made or cancelled already
		// (two tabs), is refused beside the list.
		notWaiting := &operations.Invalid{Fields: []*cooperation.FieldError{{Field: "id", Key: cooperation.ErrNotScheduled,
			Detail: "no scheduled change with this number is waiting"}}}
		id, err := strconv.ParseInt(f.value(r, "id"), 10, 64)
		if err != nil {
			return "", notWaiting
		}
		_, err = s.ops.CancelReplacement(r.Context(), id, by)
		if _, refused := errors.AsType[*operations.Refused](err); refused {
			return "", notWaiting
		}
		return "", err
	},
	"focal-point-add": func(s *server, r *http.Request, f *form, b, by string) (string, error) {
		return "", s.ops.AddFocalPoint(r.Context(), b, f.value(r, "country"), personFields(r, f), by)
	},
	"focal-point-remove": func(s *server, r *http.Request, f *form, b, by string) (string, error) {
		return "", s.ops.RemoveFocalPoint(r.Context(), b, f.value(r, "country"), f.value(r, "email"), by)
	},
	"person-update": func(s *server, r *http.Request, f *form, _, by string) (string, error) {
		return "", s.ops.UpdatePerson(r.Context(), personFields(r, f), by)
	},
	"country-add": func(s *server, r *http.Request, f *form, _, by string) (string, error) {
		return "", s.ops.AddCountry(r.Context(), f.value(r, "code"), f.value(r, "name"), by)
	},
	"country-rename": func(s *server, r *http.Request, f *form, _, by string) (string, error) {
		return "", s.ops.RenameCountry(r.Context(), f.value(r, "country"), f.value(r, "name"), by)
	},
	"country-deactivate": func(s *server, r *http.Request, f *form, _, by string) (string, error) {
		return "", s.ops.SetCountryActive(r.Context(), f.value(r, "country"), false, by)
	},
	"country-activate": func(s *server, r *http.Request, f *form, _, by string) (string, error) {
		return "", s.ops.SetCountryActive(r.Context(), f.value(r, "country"), true, by)
	},
	"seat-add": func(s *server, r *http.Request, f *form, b, by string) (string, error) {
		return "", s.ops.AddSeat(r.Context(), operations.SeatRequest{Biennium: b, Country: f.value(r, "country"),
			Role: f.value(r, "role"), TermStart: f.value(r, "term_start"), TermEnd: f.value(r, "term_end"),
			Principal: personFields(r, f), By: by})
	},
	"seat-remove": func(s *server, r *http.Request, f *form, b, by string) (string, error) {
		return "", s.ops.RemoveSeat(r.Context(), b, f.value(r, "country"), by)
	},
	"alternate-add": func(s *server, r *http.Request, f *form, b, by string) (string, error) {
		return "", s.ops.AddAlternate(r.Context(), b, f.value(r, "country"), personFields(r, f), by)
	},
	"alternate-remove": func(s *server, r *http.Request, f *form, b, by string) (string, error) {
		return "", s.ops.RemoveDelegate(r.Context(), b, f.value(r, "country"), f.value(r, "email"), by)
	},
	"delegation-add": func(s *server, r *http.Request, f *form, _, by string) (string, error) {
		_, err := s.ops.Delegate(r.Context(), operations.DelegationRequest{Person: f.value(r, "person"),
			Delegate: personFields(r, f), From: f.value(r, "from"), Until: f.value(r, "until"),
			Reason: f.multiline(r, "reason"), By: by})
		return "", err
	},
	"delegation-end": func(s *server, r *http.Request, f *form, _, by string) (string, error) {
		id, err := strconv.ParseInt(f.value(r, "id"), 10, 64)
		if err != nil {
			return "", &operations.Invalid{Fields: []*cooperation.FieldError{{Field: "id", Key: cooperation.ErrUnknown, Detail: "not a delegation number"}}}
		}
		return "", s.ops.EndDelegation(r.Context(), id, by)
	},
}

// personFields reads a person's fields from a directory form.
func personFields(r *http.Request, f *form) cooperation.PersonFields {
	return cooperation.PersonFields{Email: f.value(r, "email"), Name: f.value(r, "name"),
		Language: f.value(r, "language"), TimeZone: f.value(r, "time_zone")}
}

// changeDirectory runs one of the directory's forms. A change made goes back
// to the directory (303), which says what was done; a refusal shows the page
// again with each error beside its field of that form, the values kept.
func (s *server) changeDirectory(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	do, ok := directoryActions[action]
	if !ok {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	}
	f, _, ok := s.sessionForm(w, r)
	if !ok {
		return
	}
	b := f.value(r, "biennium")
	by := currentUser(r).user.Email
	done, err := do(s, r, f, b, by)
	if done == "" {
		done = action
	}
	var inv *operations.Invalid
	switch {
	case err == nil:
	case errors.As(err, &inv):
		f.refuseOperation(err, nil)
		s.listOpenItems(r, f, inv)
		s.renderDirectory(w, r, http.StatusUnprocessableEntity, action, f)
		return
	default:
		s.internal(w, r, "change the directory", err)
		return
	}
	s.log.Info("directory changed", "action", action, "by", by)
	http.Redirect(w, r, "/directory?"+url.Values{"biennium": {b}, "done": {done}}.Encode(), http.StatusSeeOther)
}

// listOpenItems names, beside a refusal for open items, which ones: the
// secretariat settles them (or hands them over) before asking again.
func (s *server) listOpenItems(r *http.Request, f *form, inv *operations.Invalid) {
	for _, fe := range inv.Fields {
		if fe.Key != cooperation.ErrOpenTasks || fe.Field != "country" {
			continue
		}
		items, err := s.store.OpenItemsOfCountry(r.Context(), f.values["country"], s.now())
		if err != nil {
			s.log.Warn("list open items", "error", err)
			return
		}
		f.errors["country"] += " " + strings.Join(items, ", ")
	}
}
