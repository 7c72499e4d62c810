package web

import (
	"net/http"
	"slices"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

// directoryData is the directory page: the programme's countries with
// their focal points and seats, the delegations not over, and the forms
// that change them. Posted names the form that was sent, whose values and
// errors the page shows again; Done the change just made.
type directoryData struct {
	Biennium  string
	Bienniums []string
	Dir       store.Directory
	Languages []string
	Posted    string
	Done      string
	lang      string
	form      map[string]string
	errs      map[string]string
}

// dirField is one field of one of the directory's forms: its id is the
// form's and the field's, since the page holds many forms.
type dirField struct {
	ID, Name, Label, Type, Value, Err string
	Options                           []store.Choice
}

// In is a form's field as the page shows it: with the value and error the
// last post of that form left, empty in every other form.
func (d directoryData) In(form, name, labelKey, typ string) dirField {
	v := dirField{ID: form + "-" + name, Name: name, Label: translate(d.lang, labelKey), Type: typ}
	if d.Posted == form {
		v.Value, v.Err = d.form[name], d.errs[name]
	}
	return v
}

// Sel is In for a choice among options, each shown as itself.
func (d directoryData) Sel(form, name, labelKey string, options []string) dirField {
	return d.SelT(form, name, labelKey, "", options)
}

// SelT is Sel with each option shown as the catalogue's text of prefix
// and the option (role_chair), none when prefix is empty.
func (d directoryData) SelT(form, name, labelKey, prefix string, options []string) dirField {
	v := d.In(form, name, labelKey, "")
	for _, o := range options {
		title := o
		if prefix != "" {
			title = translate(d.lang, prefix+o)
		}
		v.Options = append(v.Options, store.Choice{Key: o, Title: title})
	}
	return v
}

// Countries are the active countries' codes, for a form's choice.
func (d directoryData) Countries() []string {
	var out []string
	for _, c := range d.Dir.Countries {
		if c.Active {
			out = append(out, c.Code)
		}
	}
	return out
}

// personForm is the person fields of one form, for the page's partial.
type personForm struct {
	D directoryData
	F string
}

// P is the person fields of form.
func (d directoryData) P(form string) personForm { return personForm{D: d, F: form} }

// ReplaceRoles are the roles a replacement may name.
func (directoryData) ReplaceRoles() []string {
	return []string{cooperation.RoleFocalPoint, cooperation.RolePrincipal, cooperation.RoleAlternate}
}

// SeatRoles are a seat's roles.
func (directoryData) SeatRoles() []string {
	return []string{string(cooperation.Chair), string(cooperation.Member)}
}

// Err is the error the last post of form left on its field name, if any.
func (d directoryData) Err(form, name string) string {
	if d.Posted != form {
		return ""
	}
	return d.errs[name]
}

// Failed tells whether form was posted and refused.
func (d directoryData) Failed(form string) bool { return d.Posted == form && len(d.errs) > 0 }

// showDirectory shows the directory of a biennium (the latest by default).
func (s *server) showDirectory(w http.ResponseWriter, r *http.Request) {
	s.renderDirectory(w, r, http.StatusOK, "", nil)
}

func (s *server) renderDirectory(w http.ResponseWriter, r *http.Request, status int, posted string, f *form) {
	p := s.userPage(r, "directory_title")
	bienniums := s.bienniums(r)
	b := r.URL.Query().Get("biennium")
	if f != nil {
		b = f.values["biennium"]
	}
	if !slices.Contains(bienniums, b) {
		b = ""
		if len(bienniums) > 0 {
			b = bienniums[0]
		}
	}
	data := directoryData{Biennium: b, Bienniums: bienniums, Languages: cooperation.Languages, Posted: posted, lang: p.Lang,
		Done: r.URL.Query().Get("done")}
	if b != "" {
		dir, err := s.store.Directory(r.Context(), b, s.now())
		if err != nil {
			s.internal(w, r, "load directory", err)
			return
		}
		data.Dir = dir
	}
	if f != nil {
		data.form, data.errs = f.values, f.errors
		p.Form, p.Errors = f.values, f.errors
	}
	p.Path = "/directory"
	p.Data = data
	s.render(w, r, status, "directory", p)
}
