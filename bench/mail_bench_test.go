package bench

import (
	"context"
	"flag"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/mail/mailtest"
	"github.com/bienal/bienal/store"
)

var b4Messages = flag.Int("b4.messages", 2000, "B4: messages delivered")

// BenchmarkB4Delivery sends b4.messages queued rows through the real path
// (claim, compose, send, record) to a recording SMTP server, against bare
// go-mail sending as many over one reused connection; and counts duplicates.
func BenchmarkB4Delivery(b *testing.B) {
	ctx := context.Background()
	_, _, st := database(b)
	srv := mailtest.Start(b)
	n := *b4Messages
	for i := range n {
		ok, err := st.QueueEmail(ctx, store.Email{DedupKey: fmt.Sprintf("bench/%d", i), Recipient: fmt.Sprintf("p%d@example.org", i),
			Language: "es", Kind: "task", Subject: "Informe de ejecución: vence el 30 de junio", Text: "Hola\n", HTML: "<p>Hola</p>"})
		must(b, err)
		if !ok {
			b.Fatalf("message %d queued twice", i)
		}
	}
	d, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, SMTPURL: srv.URL(), From: "bienal@cepal.example",
		Now: func() time.Time { return time.Now().Add(time.Second) }, Logger: benchLogger(b)})
	must(b, err)

	b.ResetTimer()
	start := time.Now()
	for sent := 0; sent < n; {
		got, err := d.DeliverOnce(ctx)
		must(b, err)
		if got == 0 {
			b.Fatalf("%d of %d delivered, then nothing due", sent, n)
		}
		sent += got
	}
	full := time.Since(start)
	b.StopTimer()
	msgs := srv.WaitFor(n, 10*time.Second)
	seen := map[string]bool{}
	dups := 0
	for _, m := range msgs {
		if seen[m.MessageID] {
			dups++
		}
		seen[m.MessageID] = true
	}
	bare := bareGoMail(b, srv, n)
	rate, bareRate := float64(n)/full.Seconds(), float64(n)/bare.Seconds()
	result(b, "B4-rate", rate, bareRate, "msg/s", 0.5, false)
	b.Logf("B4: %d messages, %d received, %d duplicates", n, len(msgs), dups)
	b.ReportMetric(float64(dups), "B4-duplicates")
	if dups != 0 || len(msgs) != n {
		b.Fatalf("%d received, %d duplicates", len(msgs), dups)
	}
}

// bareGoMail sends n messages like ours with go-mail alone, over one connection.
func bareGoMail(b *testing.B, srv *mailtest.Server, n int) time.Duration {
	host, portText, _ := net.SplitHostPort(srv.Addr())
	port, _ := strconv.Atoi(portText)
	c, err := gomail.NewClient(host, gomail.WithPort(port), gomail.WithTLSPolicy(gomail.TLSOpportunistic), gomail.WithoutNoop())
	must(b, err)
	before := len(srv.Messages())
	start := time.Now()
	conn, err := c.DialToSMTPClientWithContext(context.Background())
	must(b, err)
	for i := range n {
		m := gomail.NewMsg()
		must(b, m.From("bienal@cepal.example"))
		must(b, m.To(fmt.Sprintf("p%d@example.org", i)))
		m.Subject("Informe de ejecución: vence el 30 de junio")
		m.SetMessageIDWithValue(fmt.Sprintf("bare%d@bienal", i))
		m.SetBodyString(gomail.TypeTextPlain, "Hola\n")
		m.AddAlternativeString(gomail.TypeTextHTML, "<p>Hola</p>")
		must(b, c.SendWithSMTPClient(conn, m))
	}
	_ = c.CloseWithSMTPClient(conn)
	elapsed := time.Since(start)
	srv.WaitFor(before+n, 10*time.Second)
	return elapsed
}
