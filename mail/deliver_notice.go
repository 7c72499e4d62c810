package mail

import (
	"context"
	"slices"
	"time"

	"github.com/bienal/bienal/store"
)

// noticeTitles are the failure notice's HTML page titles.
var noticeTitles = map[string]string{"es": "Mensajes no entregados", "en": "Undelivered messages",
	"pt": "Mensagens não entregues", "fr": "Messages non remis"}

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
			if !slices.Contains(Languages, lang) {
				lang = "en"
			}
			data := FailureData{Lang: lang, Title: noticeTitles[lang], Name: r.Name, Day: day, Failed: failed}
			c, err := Render(KindFailureNotice, lang, data)
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
