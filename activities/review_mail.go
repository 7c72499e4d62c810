package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// reviseLinkDays is how long a focal point's link to revise a proposal lives.
const reviseLinkDays = 90

// queueReviewMail renders kind for the contact and writes its row, with a
// fresh link of purpose (if any) made only when the row is new, so that a
// retry never leaves a link that no message carries.
func (a *Activities) queueReviewMail(ctx context.Context, tx *store.Store, key, kind, purpose string, to store.Contact,
	expires time.Time, data mail.ReviewData, event *mail.Event) error {
	exists, err := tx.EmailExists(ctx, key)
	if err != nil || exists {
		return err
	}
	data.Lang, data.Name = to.Language, to.Name
	data.ActivityTitle = data.Titles.Show(to.Language)
	data.Title = data.ActivityTitle.Text
	if purpose != "" {
		// The message holds the link's placeholder; its token is minted when it is sent.
		ref, err := tx.CreateMailLink(ctx, purpose, store.ActivityRef(data.Biennium, data.Code), to.Email, expires)
		if err != nil {
			return err
		}
		data.URL = fmt.Sprintf("%s/%s/%s", a.BaseURL, purpose, ref)
	}
	c, err := mail.Render(kind, to.Language, data)
	if err != nil {
		return err
	}
	e := store.Email{DedupKey: key, Recipient: to.Email, Language: to.Language, Kind: kind,
		Subject: c.Subject, Text: c.Text, HTML: c.HTML}
	if event != nil {
		event.URL = data.URL
		e.Attachments = []store.Attachment{{Name: "vote.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH",
			Content: mail.ICS(*event)}}
	}
	return tx.QueueNewEmail(ctx, e)
}

func baseMail(act store.ReviewActivity, round int) mail.ReviewData {
	return mail.ReviewData{Biennium: act.Biennium, Code: act.Code, Titles: act.Titles, Round: round}
}

// mailRound asks each entitled member to vote (with what changed since the
// previous round) and tells each recused member why they are not asked.
func (a *Activities) mailRound(ctx context.Context, tx *store.Store, act store.ReviewActivity, r store.Round) error {
	data := baseMail(act, r.Round)
	data.ClosesAt = r.ClosesAt
	if r.Round > 1 {
		prev, err := tx.LoadRound(ctx, r.Biennium, r.Code, r.Round-1)
		if err != nil {
			return err
		}
		data.Changes, err = tx.ActivityDiff(ctx, r.Biennium, r.Code, prev.Version, r.Version)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	for _, st := range r.Seats {
		for _, v := range st.Voters {
			if st.Recused {
				key := mail.ReviewKey(mail.KindRecused, r.Biennium, r.Code, r.Round, v.Email)
				if err := a.queueReviewMail(ctx, tx, key, mail.KindRecused, "", voterContact(st, v), time.Time{}, data, nil); err != nil {
					return err
				}
				continue
			}
			key := mail.ReviewKey(mail.KindVoteRequest, r.Biennium, r.Code, r.Round, v.Email)
			event := &mail.Event{UID: fmt.Sprintf("vote/%s/%s/%d@bienal", r.Biennium, r.Code, r.Round),
				Summary: fmt.Sprintf("%s %s: %s", r.Biennium, r.Code, act.Titles.Show(v.Language).Text), At: r.ClosesAt, Stamp: r.OpenedAt}
			data.Zone = v.TimeZone
			if err := a.queueReviewMail(ctx, tx, key, mail.KindVoteRequest, store.PurposeVote, voterContact(st, v), r.ClosesAt, data, event); err != nil {
				return err
			}
		}
	}
	return nil
}

// voterContact is whom a message about a seat's vote goes to: each of its
// delegates, and whoever one of them named while away.
func voterContact(st store.RoundSeat, v store.Voter) store.Contact {
	return store.Contact{Email: v.Email, Name: v.Name, Language: v.Language, Country: st.Country, Role: st.Role}
}

// mailDecision tells the proposer and the lead country's focal points.
func (a *Activities) mailDecision(ctx context.Context, tx *store.Store, act store.ReviewActivity, round int, d Decision) error {
	contacts, err := tx.ProposalContacts(ctx, act.Biennium, act.Code)
	if err != nil {
		return err
	}
	data := baseMail(act, round)
	data.Outcome, data.DecidedBy = d.Outcome, d.DecidedBy
	for _, c := range contacts {
		key := mail.ReviewKey(mail.KindDecision, act.Biennium, act.Code, round, c.Email)
		if err := a.queueReviewMail(ctx, tx, key, mail.KindDecision, "", c, time.Time{}, data, nil); err != nil {
			return err
		}
	}
	return nil
}

// mailCommittee tells every seat of the round (each of its delegates, and
// whoever acts for one of them) how the round was decided: the outcome,
// the tally, what decided it and the Chair's casting vote if there was one,
// so that members who voted learn the result and those who had not are not
// left with a link that no longer opens a vote.
func (a *Activities) mailCommittee(ctx context.Context, tx *store.Store, act store.ReviewActivity, round int, d Decision) error {
	r, err := tx.LoadRound(ctx, act.Biennium, act.Code, round)
	if err != nil {
		return err
	}
	votes, err := tx.ListVotes(ctx, act.Biennium, act.Code)
	if err != nil {
		return err
	}
	data := baseMail(act, round)
	data.Outcome, data.DecidedBy = d.Outcome, d.DecidedBy
	for _, v := range votes {
		if v.Round != round {
			continue
		}
		if v.Casting {
			data.Casting = v.Decision
			continue
		}
		switch cooperation.Decision(v.Decision) {
		case cooperation.Approve:
			data.Approve++
		case cooperation.Reject:
			data.Reject++
		case cooperation.RequestChanges:
			data.RC++
		}
	}
	for _, st := range r.Seats {
		for _, v := range st.Voters {
			key := mail.ReviewKey(mail.KindRoundDecided, act.Biennium, act.Code, round, v.Email)
			if err := a.queueReviewMail(ctx, tx, key, mail.KindRoundDecided, "", voterContact(st, v), time.Time{}, data, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// mailChangesRequested sends the proposal back to the lead country's focal
// points with every member's comment and a link to revise it.
func (a *Activities) mailChangesRequested(ctx context.Context, tx *store.Store, act store.ReviewActivity, round int, at time.Time) error {
	contacts, err := tx.LeadFocalPoints(ctx, act.Biennium, act.Code)
	if err != nil {
		return err
	}
	votes, err := tx.ListVotes(ctx, act.Biennium, act.Code)
	if err != nil {
		return err
	}
	data := baseMail(act, round)
	for _, v := range votes {
		if v.Round == round && v.Comment != "" {
			data.Comments = append(data.Comments, v)
		}
	}
	for _, c := range contacts {
		key := mail.ReviewKey(mail.KindChangesRequested, act.Biennium, act.Code, round, c.Email)
		err := a.queueReviewMail(ctx, tx, key, mail.KindChangesRequested, store.PurposeRevise, c,
			at.AddDate(0, 0, reviseLinkDays), data, nil)
		if err != nil {
			return err
		}
	}
	return nil
}

// mailCastingRequest asks the Chair for the casting vote, with a vote link.
func (a *Activities) mailCastingRequest(ctx context.Context, tx *store.Store, in CastingInput) error {
	act, err := tx.ReviewActivity(ctx, in.Biennium, in.Code)
	if err != nil {
		return err
	}
	r, err := tx.LoadRound(ctx, in.Biennium, in.Code, in.Round)
	if err != nil {
		return err
	}
	data := baseMail(act, in.Round)
	data.Tally = in.Tally
	data.Approve, data.Reject, data.RC = in.Tally["approve"], in.Tally["reject"], in.Tally["request_changes"]
	chair, _ := r.Chair()
	for _, v := range chair.Voters {
		key := mail.ReviewKey(mail.KindCastingRequest, in.Biennium, in.Code, in.Round, v.Email)
		if err := a.queueReviewMail(ctx, tx, key, mail.KindCastingRequest, store.PurposeVote, voterContact(chair, v),
			in.At.AddDate(0, 0, reviseLinkDays), data, nil); err != nil {
			return err
		}
	}
	return nil
}
