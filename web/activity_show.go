package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/store"
)

type activityData struct {
	Activity store.Activity
	// Goal and Line are the titles of the activity's goal and line of action.
	Goal, Line template.HTML
	Timeline   []timelineEntry
	Votes      []store.Vote
	// OtherLanguages are the activity's texts in each language other
	// than the page's that they were given in.
	OtherLanguages []textsIn
}

// textsIn is an activity's texts in one language, as given: the
// secretariat sees which are translated before they go to the Conference.
type textsIn struct {
	Lang               string
	Original           bool
	Title, Description string
	Outputs            []string
}

// otherLanguages lists t in every language but page's that holds one of
// its texts. Only languages given for the texts as they stand count
// (cooperation.TextSet.Current).
func otherLanguages(t store.ActivityTexts, page string) []textsIn {
	in := func(s cooperation.TextSet, lang string) string {
		if !s.Current() {
			return ""
		}
		return s.In[lang]
	}
	var out []textsIn
	for _, lang := range cooperation.Languages {
		if lang == page {
			continue
		}
		v := textsIn{Lang: lang, Original: t.Title.Current() && t.Title.Original == lang,
			Title: in(t.Title, lang), Description: in(t.Description, lang)}
		for _, o := range t.ExpectedOutputs {
			if s := in(o, lang); s != "" {
				v.Outputs = append(v.Outputs, s)
			}
		}
		if v.Title != "" || v.Description != "" || len(v.Outputs) > 0 {
			out = append(out, v)
		}
	}
	return out
}

// timelineEntry is one line of the audit log as the secretariat reads it.
type timelineEntry struct {
	store.AuditEntry
	// What says what happened, in words; Who is who did it.
	What, Who string
}

// timelineWords are the audit log's actions on an activity, each with the
// words the timeline shows; an action not listed is shown by its key.
var timelineWords = map[string]string{
	"imported": "tl_imported", "updated": "tl_updated", "proposed": "tl_proposed",
	"review_opened": "tl_review_opened", "vote_counted": "tl_vote_counted", "casting_vote_counted": "tl_casting_vote_counted",
	"vote_refused": "tl_vote_refused", "signal_refused": "tl_signal_refused", "casting_requested": "tl_casting_requested",
	"revised": "tl_revised", "links_revoked": "tl_links_revoked", "workflow_repaired": "tl_workflow_repaired",
	"under_review": "tl_under_review", "approved": "tl_approved", "in_execution": "tl_in_execution",
	"rejected": "tl_rejected", "changes_requested": "tl_changes_requested", "withdrawn": "tl_withdrawn",
	"completed": "tl_completed", "cancelled": "tl_cancelled",
}

// timelineActors are the actors that are not people.
var timelineActors = map[string]string{"system": "actor_system", "import": "actor_import", "cli": "actor_cli"}

// showActivity shows an activity with what it plans, its timeline from the
// audit log in words and in the reader's time zone, and the committee's
// votes.
func (s *server) showActivity(w http.ResponseWriter, r *http.Request) {
	biennium, code := r.PathValue("biennium"), r.PathValue("code")
	a, err := s.store.GetActivity(r.Context(), biennium, code)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "err_not_found")
		return
	} else if err != nil {
		s.internal(w, r, "load activity", err)
		return
	}
	p := s.userPage(r, "activity_title")
	data := activityData{Activity: a, OtherLanguages: otherLanguages(a.Texts, p.Lang)}
	choices, err := s.store.ProposalChoices(r.Context(), biennium)
	if err != nil {
		s.internal(w, r, "load goals", err)
		return
	}
	data.Goal, data.Line = choiceTitle(p, choices.Goals, a.Goal), choiceTitle(p, choices.Lines, a.LineOfAction)
	log, err := s.store.AuditLog(r.Context(), store.ActivityRef(biennium, code))
	if err != nil {
		s.internal(w, r, "load timeline", err)
		return
	}
	for _, e := range log {
		data.Timeline = append(data.Timeline, timelineLine(p, e))
	}
	if data.Votes, err = s.store.ListVotes(r.Context(), biennium, code); err != nil {
		s.internal(w, r, "load votes", err)
		return
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "activity", p)
}

// choiceTitle is goal or line n with its title in the page's language.
func choiceTitle(p page, cs []store.Choice, n int) template.HTML {
	for _, c := range cs {
		if c.Key == fmt.Sprint(n) {
			return template.HTML(template.HTMLEscapeString(c.Key+". ")) + p.Text(c.Text)
		}
	}
	return template.HTML(fmt.Sprint(n))
}

// timelineLine puts an audit entry in words: the action, with the round,
// decision or reason its detail names.
func timelineLine(p page, e store.AuditEntry) timelineEntry {
	t := timelineEntry{AuditEntry: e, Who: e.Actor}
	if e.ActorName != "" {
		// A person by name, with the address that acted at the time.
		t.Who = e.ActorName + " <" + e.Actor + ">"
	}
	if k, ok := timelineActors[e.Actor]; ok {
		t.Who = p.T(k)
	}
	if k, ok := timelineWords[e.Action]; ok {
		t.What = p.T(k)
	} else {
		t.What = strings.ReplaceAll(e.Action, "_", " ")
	}
	var detail map[string]any
	if json.Unmarshal(e.Detail, &detail) != nil {
		return t
	}
	var more []string
	if n, ok := detail["round"].(float64); ok && n > 0 {
		more = append(more, fmt.Sprintf("%s %d", p.T("round"), int(n)))
	}
	if d, ok := detail["decision"].(string); ok && d != "" {
		more = append(more, p.T("d_"+d))
	}
	if d, ok := detail["outcome"].(string); ok && d != "" {
		if k, ok := outcomeWords[d]; ok {
			more = append(more, p.T(k))
		}
	}
	keys := make([]string, 0, 2)
	for _, k := range []string{"reason", "comment"} {
		if v, ok := detail[k].(string); ok && strings.TrimSpace(v) != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		more = append(more, "“"+detail[k].(string)+"”")
	}
	if len(more) > 0 {
		t.What += " (" + strings.Join(more, ", ") + ")"
	}
	return t
}
