package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type voteData struct {
	Activity store.ReviewActivity
	// Detail holds what the proposal plans: period and expected outputs.
	Detail    store.Activity
	Round     store.Round
	Diff      []store.FieldDiff
	Decisions []string
	Action    string
	Casting   bool
	State     *workflows.ActivityState
}

var voteDecisions = []string{workflows.DecisionApprove, workflows.DecisionReject, workflows.DecisionRequestChanges}

// voteRound loads the activity and round a vote link names and checks that
// the link's recipient sits on the round's roster and has not recused.
func (s *server) voteRound(w http.ResponseWriter, r *http.Request, v linkVisit) (voteData, bool) {
	rest, ok := subjectAfter(v.link.Subject, "activity")
	biennium, code, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		s.refuseLink(w, r, v, "subject is not an activity")
		return voteData{}, false
	}
	a, err := s.store.ReviewActivity(r.Context(), biennium, code)
	if err == nil && a.Round < 1 {
		err = store.ErrNotFound
	}
	var round store.Round
	if err == nil {
		round, err = s.store.LoadRound(r.Context(), biennium, code, a.Round)
	}
	if errors.Is(err, store.ErrNotFound) {
		s.refuseLink(w, r, v, "no review round")
		return voteData{}, false
	} else if err != nil {
		s.internal(w, r, "load review round", err)
		return voteData{}, false
	}
	seat := slices.IndexFunc(round.Members, func(m store.RoundMember) bool { return m.Email == v.link.Recipient })
	// A recused Chair still casts the deciding vote when the round asks for it.
	casting := seat >= 0 && round.AwaitingCasting && round.Members[seat].Role == "chair"
	if seat < 0 || (round.Members[seat].Recused && !casting) {
		s.refuseLink(w, r, v, "recipient not on the round's roster")
		return voteData{}, false
	}
	data := voteData{Activity: a, Round: round, Decisions: voteDecisions, Action: linkPath(v.token) + "/vote",
		Casting: casting}
	return data, true
}

// showVote shows the proposal, what changed since the previous round, and the vote form.
func (s *server) showVote(w http.ResponseWriter, r *http.Request, v linkVisit) {
	data, ok := s.voteRound(w, r, v)
	if !ok {
		return
	}
	if data.Round.Round > 1 {
		prev, err := s.store.LoadRound(r.Context(), data.Activity.Biennium, data.Activity.Code, data.Round.Round-1)
		if err == nil {
			data.Diff, err = s.store.ActivityDiff(r.Context(), data.Activity.Biennium, data.Activity.Code, prev.Version, data.Round.Version)
		}
		if err != nil {
			s.internal(w, r, "load proposal diff", err)
			return
		}
	}
	detail, err := s.store.GetActivity(r.Context(), data.Activity.Biennium, data.Activity.Code)
	if err != nil {
		s.internal(w, r, "load proposal", err)
		return
	}
	data.Detail = detail
	p := page{Lang: v.lang, TitleKey: "vote_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: data, Form: map[string]string{}}
	s.render(w, r, http.StatusOK, "vote", p)
}
