package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/workflows"
)

type voteData struct {
	Activity store.ReviewActivity
	// Detail holds what the proposal plans: period and expected outputs.
	Detail store.Activity
	Round  store.Round
	// Seat is the seat whose vote the link's holder casts, Voter how they hold it.
	Seat      store.RoundSeat
	Voter     store.Voter
	Diff      []diffView
	Decisions []string
	Action    string
	Casting   bool
	// Closes is when the round closes, with its hour, in the voter's time zone.
	Closes string
	Tally  *tallyView
}

var voteDecisions = []string{workflows.DecisionApprove, workflows.DecisionReject, workflows.DecisionRequestChanges}

// voteRound loads the activity and round a vote link names and finds the
// seat on the round's roster whose vote the link's recipient may cast (as
// its principal, an alternate, or whoever one of them named while away),
// refusing the link when they may cast none.
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
	var seat store.RoundSeat
	var voter store.Voter
	if err == nil {
		round, err = s.store.LoadRound(r.Context(), biennium, code, a.Round)
	}
	if err == nil {
		seat, voter, err = s.store.RoundVoter(r.Context(), biennium, code, a.Round, v.link.Recipient, "", s.now())
	}
	if errors.Is(err, store.ErrNotFound) {
		s.refuseLink(w, r, v, "recipient casts no seat's vote in the round")
		return voteData{}, false
	} else if err != nil {
		s.internal(w, r, "load review round", err)
		return voteData{}, false
	}
	// A recused Chair still casts the deciding vote when the round asks for it.
	casting := round.AwaitingCasting && seat.Role == "chair"
	if seat.Recused && !casting {
		s.refuseLink(w, r, v, "the recipient's seat is recused from the round")
		return voteData{}, false
	}
	data := voteData{Activity: a, Round: round, Seat: seat, Voter: voter, Decisions: voteDecisions,
		Action: linkPath(v.token) + "/vote", Casting: casting, Closes: s.zonedTime(v.lang, round.ClosesAt, voter.TimeZone)}
	return data, true
}

// proposalDetails loads what the vote page shows of the proposal: its
// period and outputs, and what changed since the previous round.
func (s *server) proposalDetails(r *http.Request, data *voteData, lang string) error {
	detail, err := s.store.GetActivity(r.Context(), data.Activity.Biennium, data.Activity.Code)
	if err != nil {
		return err
	}
	data.Detail = detail
	if data.Round.Round < 2 {
		return nil
	}
	prev, err := s.store.LoadRound(r.Context(), data.Activity.Biennium, data.Activity.Code, data.Round.Round-1)
	if err != nil {
		return err
	}
	diffs, err := s.store.ActivityDiff(r.Context(), data.Activity.Biennium, data.Activity.Code, prev.Version, data.Round.Version)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	data.Diff = diffViews(lang, diffs)
	return nil
}

// showVote shows the proposal, what changed since the previous round, and the vote form.
func (s *server) showVote(w http.ResponseWriter, r *http.Request, v linkVisit) {
	data, ok := s.voteRound(w, r, v)
	if !ok {
		return
	}
	if err := s.proposalDetails(r, &data, v.lang); err != nil {
		s.internal(w, r, "load proposal", err)
		return
	}
	p := page{Lang: v.lang, TitleKey: "vote_title", Path: linkPath(v.token), CSRF: s.formToken("link:" + v.token),
		Data: data, Form: map[string]string{}}
	s.render(w, r, http.StatusOK, "vote", p)
}

// seatName is how a page names a seat: its country, in the reader's language.
func seatName(lang, country string) string { return mail.CountryName(lang, country) }
