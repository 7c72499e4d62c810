package activities

import (
	"context"
	"time"

	"github.com/bienal/bienal/cooperation"
	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/store"
)

// LinkGrace is how long a report link outlives the cycle's closing date, so
// that a focal point who opens it late is told the cycle closed rather than
// that the link is wrong.
const LinkGrace = 14 * 24 * time.Hour

func cycleTitle(d store.TaskDetail) string {
	if d.CycleTitle != "" {
		return d.CycleTitle
	}
	return d.Biennium + "/" + d.Cycle
}

// queueInvitations writes, for every focal point of the task's country, the
// invitation for the task's current due date (one per extension count), with
// a fresh personal link and a calendar event whose UID is the task's and
// whose SEQUENCE is the number of extensions. A message already written is
// left alone, and so is its link.
func (a *Activities) queueInvitations(ctx context.Context, tx *store.Store, k cooperation.TaskKey) error {
	return a.queueToFocalPoints(ctx, tx, k, true,
		func(d store.TaskDetail, fp store.Recipient) string {
			return mail.InvitationKey(k, fp.Email, d.Extensions)
		},
		a.invitation)
}

// queueToFocalPoints writes one message for every focal point of the task's
// country, under the dedup key key gives it, unless it is written already;
// withLink mints each a fresh personal link to the task (its token is
// minted when the message is sent; the message holds its placeholder).
func (a *Activities) queueToFocalPoints(ctx context.Context, tx *store.Store, k cooperation.TaskKey, withLink bool,
	key func(store.TaskDetail, store.Recipient) string,
	compose func(d store.TaskDetail, to store.Recipient, key, url string) (store.Email, error)) error {
	d, err := tx.GetTaskDetail(ctx, k)
	if err != nil {
		return err
	}
	fps, err := tx.FocalPoints(ctx, k.Biennium, k.Country)
	if err != nil {
		return err
	}
	for _, fp := range fps {
		dedup := key(d, fp)
		exists, err := tx.EmailExists(ctx, dedup)
		if err != nil {
			return err
		}
		if exists {
			continue
		}
		url := ""
		if withLink {
			ref, err := tx.CreateMailLink(ctx, store.PurposeReport, taskSubject(k), fp.Email, store.DayEnd(d.ClosesOn).Add(LinkGrace))
			if err != nil {
				return err
			}
			url = a.BaseURL + "/tasks/" + ref
		}
		e, err := compose(d, fp, dedup, url)
		if err != nil {
			return err
		}
		if err := tx.QueueNewEmail(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (a *Activities) invitation(d store.TaskDetail, to store.Recipient, key, url string) (store.Email, error) {
	data := mail.TaskData{Lang: to.Language, Name: to.Name, ActivityTitle: d.ActivityTitle.Show(to.Language), Code: d.Code, Country: d.Country,
		CycleTitle: cycleTitle(d), Due: d.DueOn, Closes: d.ClosesOn, URL: url, Extended: d.Extensions > 0}
	data.Title = data.ActivityTitle.Text
	c, err := mail.Render(mail.KindTaskInvitation, to.Language, data)
	if err != nil {
		return store.Email{}, err
	}
	ics := mail.ICS(mail.Event{
		UID:         taskSubject(d.Key()) + "@bienal",
		Summary:     c.Subject,
		Description: data.ActivityTitle.Text,
		URL:         url,
		Due:         d.DueOn,
		Sequence:    d.Extensions,
		Stamp:       a.now(),
	})
	return store.Email{DedupKey: key, Recipient: to.Email, Language: to.Language, Kind: mail.KindTaskInvitation,
		Subject: c.Subject, Text: c.Text, HTML: c.HTML,
		Attachments: []store.Attachment{{Name: "report-due.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Content: ics}},
	}, nil
}

// ComposeReceipt is the store.ReceiptFunc every submission path passes to
// store.CreateSubmission: the portal, `bienal task submit` and tests.
func ComposeReceipt(d store.TaskDetail, sub store.Submission, to store.Recipient) (store.Email, error) {
	data := mail.TaskData{Lang: to.Language, Name: to.Name, ActivityTitle: d.ActivityTitle.Show(to.Language), Code: d.Code, Country: d.Country,
		CycleTitle: cycleTitle(d), Due: d.DueOn, Closes: d.ClosesOn, Version: sub.Version, Status: sub.Status, Late: sub.Late,
		Texts: []mail.ReportText{{Field: "progress", Text: sub.Progress}, {Field: "results", Text: sub.Results},
			{Field: "difficulties", Text: sub.Difficulties}, {Field: "next_steps", Text: sub.NextSteps}},
		TextLanguage: sub.Language, Files: fileLines(sub.Files)}
	data.Title = data.ActivityTitle.Text
	c, err := mail.Render(mail.KindReceipt, to.Language, data)
	if err != nil {
		return store.Email{}, err
	}
	return store.Email{DedupKey: mail.ReceiptKey(d.Key(), sub.Version, to.Email),
		Recipient: to.Email, Language: to.Language, Kind: mail.KindReceipt, Subject: c.Subject, Text: c.Text, HTML: c.HTML}, nil
}

// fileLines lists evidence files as messages name them.
func fileLines(files []store.SubmittedFile) []mail.FileLine {
	out := make([]mail.FileLine, len(files))
	for i, f := range files {
		out[i] = mail.FileLine{Name: f.Name, Kind: f.Type.Label(), Size: cooperation.Bytes(f.Size)}
	}
	return out
}

// taskNotice composes a notice of kind to one focal point about task d;
// fill sets what the kind says beyond the task.
func taskNotice(kind string, d store.TaskDetail, to store.Recipient, key, url string, fill func(*mail.TaskData)) (store.Email, error) {
	data := mail.TaskData{Lang: to.Language, Name: to.Name, ActivityTitle: d.ActivityTitle.Show(to.Language), Code: d.Code, Country: d.Country,
		CycleTitle: cycleTitle(d), Due: d.DueOn, Closes: d.ClosesOn, URL: url}
	data.Title = data.ActivityTitle.Text
	if fill != nil {
		fill(&data)
	}
	c, err := mail.Render(kind, to.Language, data)
	if err != nil {
		return store.Email{}, err
	}
	return store.Email{DedupKey: key, Recipient: to.Email, Language: to.Language, Kind: kind,
		Subject: c.Subject, Text: c.Text, HTML: c.HTML}, nil
}

// queueNotices writes a notice of kind for every focal point of the task's
// country, once per decision; withLink gives each a fresh personal link to
// the task.
func (a *Activities) queueNotices(ctx context.Context, tx *store.Store, k cooperation.TaskKey, kind string, decision int64,
	withLink bool, fill func(*mail.TaskData)) error {
	return a.queueToFocalPoints(ctx, tx, k, withLink,
		func(_ store.TaskDetail, fp store.Recipient) string {
			return mail.TaskNoticeKey(kind, k, fp.Email, decision)
		},
		func(d store.TaskDetail, to store.Recipient, key, url string) (store.Email, error) {
			return taskNotice(kind, d, to, key, url, fill)
		})
}
