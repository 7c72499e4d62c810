package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/bienal/bienal/store"
)

// linkVisit is an opened link: its token, what it grants, and the language
// of its recipient (or the one chosen with ?lang=).
type linkVisit struct {
	token string
	link  store.Link
	lang  string
	// zone is the recipient's time zone, where the page has read it.
	zone *time.Location
}

// openLink resolves the token in the path and finds the language of its
// recipient. A token that opens nothing gets the page of its reason
// (showDeadLink): a guess learns only that no such link exists, the holder
// of a link that was sent learns why it no longer works and whom to write
// to. Nothing is changed either way.
func (s *server) openLink(w http.ResponseWriter, r *http.Request, purpose string) (linkVisit, bool) {
	v, ok := s.lookupLink(w, r, purpose)
	if ok {
		v.lang = s.recipientLanguage(r, v.link.Recipient)
	}
	return v, ok
}

// lookupLink is openLink without the recipient's language, for pages that
// read it along with other rows (a report page has it from the task's focal
// points) rather than in a round trip of its own.
func (s *server) lookupLink(w http.ResponseWriter, r *http.Request, purpose string) (linkVisit, bool) {
	token := r.PathValue("token")
	l, err := s.store.LookupLink(r.Context(), token, s.now())
	if err == nil && purpose != "" && l.Purpose != purpose {
		s.refuseLink(w, r, linkVisit{token: token, link: l}, "link of another purpose")
		return linkVisit{}, false
	}
	if errors.Is(err, store.ErrLinkInvalid) {
		s.showDeadLink(w, r, token)
		return linkVisit{}, false
	} else if err != nil {
		s.internal(w, r, "look up link", err)
		return linkVisit{}, false
	}
	return linkVisit{token: token, link: l}, true
}

// recipientLanguage is the language a page reached from email's link speaks.
func (s *server) recipientLanguage(r *http.Request, email string) string {
	lang, err := s.store.RecipientLanguage(r.Context(), email)
	if err != nil {
		s.log.Warn("recipient language unknown", "error", err)
	}
	return pickLanguage(r, lang)
}

// refuseLink answers a live token that does not fit what it is used for
// (another recipient, another task) with a 404 that says so and whom to
// write to.
func (s *server) refuseLink(w http.ResponseWriter, r *http.Request, v linkVisit, why string) {
	s.log.Warn("link does not fit its use", "purpose", v.link.Purpose, "subject", v.link.Subject, "reason", why)
	if v.lang == "" {
		v.lang = s.recipientLanguage(r, v.link.Recipient)
	}
	s.renderDeadLink(w, r, v.lang, store.DeadLink{Reason: deadUnfit, Link: v.link})
}

// showLink shows the page a link's purpose calls for. GET and HEAD never
// change anything: mail scanners open links.
func (s *server) showLink(w http.ResponseWriter, r *http.Request) {
	v, ok := s.lookupLink(w, r, "")
	if !ok {
		return
	}
	if v.link.Purpose == store.PurposeReport {
		s.showReport(w, r, v)
		return
	}
	v.lang = s.recipientLanguage(r, v.link.Recipient)
	switch v.link.Purpose {
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
