package mail

import (
	"context"
	"time"

	"github.com/bienal/bienal/store"
)

// noticeData feeds templates/failure_notice.tmpl.
type noticeData struct {
	Lang   string
	Title  string
	Name   string
	Day    time.Time
	Failed []store.FailedEmail
}

// noticeFailures writes the day's notice of failed messages to the
// secretariat when this batch gave a message up, and once an hour otherwise,
// so that failures left by another worker, or waiting for a new day, are
// told too. Trouble here is logged: it must not hold up delivery.
func (d *Deliverer) noticeFailures(ctx context.Context, now time.Time, failedNow bool) error {
	if !failedNow && now.Sub(d.noticeCheck) < time.Hour {
		return nil
	}
	d.noticeCheck = now
	day := now.UTC()
	n, err := d.o.Store.QueueFailureNotices(ctx, day.Format("2006-01-02"), now,
		func(r store.NoticeRecipient, failed []store.FailedEmail) (store.Email, error) {
			lang := r.Language
			if lang != "es" {
				lang = "en"
			}
			data := noticeData{Lang: lang, Name: r.Name, Day: day, Failed: failed}
			data.Title = map[string]string{"es": "Mensajes no entregados", "en": "Undelivered messages"}[lang]
			c, err := Render(store.FailureNoticeKind, lang, data)
			if err != nil {
				return store.Email{}, err
			}
			return store.Email{Language: lang, Subject: c.Subject, Text: c.Text, HTML: c.HTML}, nil
		})
	if err != nil {
		d.o.Logger.Warn("failure notice not written", "error", err)
		return nil
	}
	if n > 0 {
		d.o.Logger.Info("failure notice queued", "recipients", n, "day", day.Format("2006-01-02"))
		d.Wake()
	}
	return nil
}
