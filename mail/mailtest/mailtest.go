// Package mailtest runs a real SMTP server inside a test: it records every
// message it accepts and can be told to refuse, drop or go away, so that tests
// see what a mail server would see and how delivery copes with its faults.
//
//	srv := mailtest.Start(t)
//	// point the code under test at srv.URL()
//	msgs := srv.WaitFor(1, 5*time.Second)
//	parts, err := msgs[0].Parts()
package mailtest

import (
	"bytes"
	"io"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	// Raw is the message as received (headers and body).
	Raw    []byte
	Header mail.Header
	// MessageID is the Message-ID header, angle brackets included.
	MessageID string
	// Subject is the decoded Subject header.
	Subject string
}

// Server is a recording SMTP server on 127.0.0.1. Its methods are safe to
// call from any goroutine.
type Server struct {
	t    testing.TB
	addr string

	mu       sync.Mutex
	cond     *sync.Cond
	srv      *smtp.Server
	messages []Message
	failures []*smtp.SMTPError
	drops    int
}

// Start listens on a free port of 127.0.0.1; the server stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t}
	s.cond = sync.NewCond(&s.mu)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = l.Addr().String()
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c.Conn()}, nil
	}))
	srv.Domain = "mailtest.local"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = discardLogger{}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// Addr is host:port.
func (s *Server) Addr() string { return s.addr }

// URL is the server as SMTP_URL names it: smtp://127.0.0.1:port.
func (s *Server) URL() string { return "smtp://" + s.addr }

// FailNext makes the next n messages be refused at the end of DATA with the
// reply code, enhanced status ("4.3.0") and text given; refused messages are
// not recorded. FailNext(2, 451, "4.3.0", "try later") then accepts the third.
func (s *Server) FailNext(n int, code int, enhanced, msg string) {
	e := &smtp.SMTPError{Code: code, EnhancedCode: parseEnhanced(enhanced), Message: msg}
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, e)
	}
}

// DropAfterData makes the next n messages be read in full, recorded, and
// then the connection closed without a reply: the sender cannot know
// whether the message arrived.
func (s *Server) DropAfterData(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drops += n
}

// Stop closes the listener and every open connection; the address stays
// reserved for Restart only as long as no other program takes the port.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// Restart listens again on the same address after Stop.
func (s *Server) Restart() {
	s.t.Helper()
	var l net.Listener
	var err error
	// The port may take a moment to be free again.
	for range 50 {
		if l, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("mailtest: listen again on %s: %v", s.addr, err)
	}
	s.serve(l)
}

// Messages returns the messages recorded so far, in order of arrival.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitFor waits until at least n messages were recorded and returns them;
// it fails the test after timeout. Call it from the test's goroutine.
func (s *Server) WaitFor(n int, timeout time.Duration) []Message {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.messages) < n {
		if !time.Now().Before(deadline) {
			s.t.Fatalf("mailtest: %d messages after %s, want %d", len(s.messages), timeout, n)
		}
		s.cond.Wait()
	}
	return append([]Message(nil), s.messages...)
}

// receive decides the fate of one message whose data was read in full.
func (s *Server) receive(m Message) (drop bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) > 0 {
		e := s.failures[0]
		s.failures = s.failures[1:]
		return false, e
	}
	s.messages = append(s.messages, m)
	s.cond.Broadcast()
	if s.drops > 0 {
		s.drops--
		return true, nil
	}
	return false, nil
}

type session struct {
	s    *Server
	conn net.Conn
	from string
	to   []string
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: se.from, To: append([]string(nil), se.to...), Raw: raw}
	if parsed, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Header = parsed.Header
		m.MessageID = parsed.Header.Get("Message-ID")
		m.Subject = decodeHeader(parsed.Header.Get("Subject"))
	}
	drop, err := se.s.receive(m)
	if drop && se.conn != nil {
		_ = se.conn.Close()
	}
	return err
}

func parseEnhanced(s string) smtp.EnhancedCode {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return smtp.NoEnhancedCode
	}
	var code smtp.EnhancedCode
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return smtp.NoEnhancedCode
		}
		code[i] = n
	}
	return code
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...interface{}) {}
func (discardLogger) Println(...interface{})        {}
