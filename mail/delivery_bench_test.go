package mail_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/bienal/bienal/mail"
	"github.com/bienal/bienal/mail/mailtest"
	"github.com/bienal/bienal/store"
	"github.com/bienal/bienal/store/storetest"
)

// BenchmarkDelivery sends b.N queued messages through the whole path (claim,
// compose, send, record the attempt) and the same number with bare go-mail
// over one reused connection, and reports the ratio of the two times
// (issue 7, B4). The ratio, not the absolute time, is the figure: the disk of
// the machine running it drifts too much for absolute times to compare.
//
//	go test ./mail/ -run '^$' -bench BenchmarkDelivery -benchtime 500x
func BenchmarkDelivery(b *testing.B) {
	st, _ := storetest.New(b)
	srv := mailtest.Start(b)
	ctx := context.Background()
	for i := range b.N {
		queue(b, st, fmt.Sprintf("bench/%d", i), fmt.Sprintf("p%d@example.org", i))
	}
	// Default batch size and timeouts, as in production.
	d, err := mail.NewDeliverer(mail.DeliveryOptions{Store: st, SMTPURL: srv.URL(), From: "bienal@cepal.example",
		Now: newClock().Now, Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}

	b.ResetTimer()
	start := time.Now()
	for sent := 0; sent < b.N; {
		n, err := d.DeliverOnce(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			b.Fatalf("%d of %d delivered, then nothing due", sent, b.N)
		}
		sent += n
	}
	full := time.Since(start)
	b.StopTimer()
	srv.WaitFor(b.N, 10*time.Second)
	counts, err := st.EmailCounts(ctx)
	if err != nil || counts[store.EmailSent] != b.N {
		b.Fatalf("sent %v, want %d: %v", counts, b.N, err)
	}

	bare := bareGoMail(b, srv, b.N)
	b.ReportMetric(float64(full.Microseconds())/float64(b.N), "µs/msg")
	b.ReportMetric(float64(bare.Microseconds())/float64(b.N), "bare-µs/msg")
	b.ReportMetric(float64(full)/float64(bare), "ratio")
}

// bareGoMail sends n messages like ours with go-mail alone, over one connection.
func bareGoMail(b *testing.B, srv *mailtest.Server, n int) time.Duration {
	host, portText, _ := net.SplitHostPort(srv.Addr())
	port, _ := strconv.Atoi(portText)
	c, err := gomail.NewClient(host, gomail.WithPort(port), gomail.WithTLSPolicy(gomail.TLSOpportunistic), gomail.WithoutNoop())
	if err != nil {
		b.Fatal(err)
	}
	before := len(srv.Messages())
	start := time.Now()
	conn, err := c.DialToSMTPClientWithContext(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		m := gomail.NewMsg()
		if err := m.From("bienal@cepal.example"); err != nil {
			b.Fatal(err)
		}
		if err := m.To(fmt.Sprintf("p%d@example.org", i)); err != nil {
			b.Fatal(err)
		}
		m.Subject("Informe de ejecución: vence el 30 de junio")
		m.SetMessageIDWithValue(fmt.Sprintf("bare%d@bienal", i))
		m.SetBodyString(gomail.TypeTextPlain, "Hola\n")
		m.AddAlternativeString(gomail.TypeTextHTML, "<p>Hola</p>")
		if err := c.SendWithSMTPClient(conn, m); err != nil {
			b.Fatal(err)
		}
	}
	_ = c.CloseWithSMTPClient(conn)
	elapsed := time.Since(start)
	srv.WaitFor(before+n, 10*time.Second)
	return elapsed
}
