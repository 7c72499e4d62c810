package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/bienal/bienal/store"
)

// linkVisit is an opened link: its token, what it grants, and the language
// of its recipient (or the one chosen with ?lang=).
type linkVisit struct {
	token string
	link  store.Link
	lang  string
}

// openLink resolves the token in the path. Any reason it opens nothing
// (unknown, truncated, tampered, expired, revoked, another purpose) gets one
// 404 page, so a guess learns nothing; nothing is changed either way.
func (s *server) openLink(w http.ResponseWriter, r *http.Request, purpose string) (linkVisit, bool) {
	token := r.PathValue("token")
	l, err := s.store.LookupLink(r.Context(), token, s.now())
	if err == nil && purpose != "" && l.Purpose != purpose {
		err = store.ErrLinkInvalid
	}
	if errors.Is(err, store.ErrLinkInvalid) {
		s.log.Info("link refused", "client", clientAddress(r))
		s.fail(w, r, http.StatusNotFound, "err_link")
		return linkVisit{}, false
	} else if err != nil {
		s.internal(w, r, "look up link", err)
		return linkVisit{}, false
	}
	lang, err := s.store.RecipientLanguage(r.Context(), l.Recipient)
	if err != nil {
		s.log.Warn("recipient language unknown", "error", err)
	}
	return linkVisit{token: token, link: l, lang: pickLanguage(r, lang)}, true
}

// refuseLink is the same 404 as an invalid token, for a valid token that does
// not fit what it is used for (another recipient, another task).
func (s *server) refuseLink(w http.ResponseWriter, r *http.Request, v linkVisit, why string) {
	s.log.Warn("link does not fit its use", "purpose", v.link.Purpose, "subject", v.link.Subject, "reason", why)
	s.failIn(w, r, http.StatusNotFound, "err_link", v.lang)
}

// showLink shows the page a link's purpose calls for. GET and HEAD never
// change anything: mail scanners open links.
func (s *server) showLink(w http.ResponseWriter, r *http.Request) {
	v, ok := s.openLink(w, r, "")
	if !ok {
		return
	}
	switch v.link.Purpose {
	case store.PurposeReport:
		s.showReport(w, r, v)
	case store.PurposeVote:
		s.showVote(w, r, v)
	case store.PurposeRevise:
		s.showRevision(w, r, v)
	case store.PurposeComplete:
		s.showCompletion(w, r, v)
	case store.PurposePropose:
		s.showProposal(w, r, v)
	default:
		s.refuseLink(w, r, v, "purpose has no page in the portal")
	}
}

// linkPath is where a link's page lives, the address forms post back to.
func linkPath(token string) string { return "/l/" + token }

// subjectParts splits "activity/<biennium>/<code>" or "task/<key>" after its prefix.
func subjectAfter(subject, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(subject, prefix+"/")
	return rest, ok && rest != ""
}
