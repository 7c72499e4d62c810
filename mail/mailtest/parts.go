package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// Parts is a message taken apart: its text and HTML bodies and attachments.
type Parts struct {
	// Text and HTML are the decoded bodies with line ends as "\n", empty when absent.
	Text string
	HTML string
	// Attachments are the parts with a file name or not text/plain or text/html.
	Attachments []Attachment
	// ContentType is the media type of the message's top part, such as multipart/mixed.
	ContentType string
}

// Attachment is a decoded attached file.
type Attachment struct {
	Name string
	// ContentType is the full Content-Type header, parameters included.
	ContentType string
	// MediaType is the type alone, such as text/calendar.
	MediaType string
	Params    map[string]string
	Content   []byte
}

var headerDecoder = mime.WordDecoder{}

func decodeHeader(s string) string {
	d, err := headerDecoder.DecodeHeader(s)
	if err != nil {
		return s
	}
	return d
}

// Parts parses the message's MIME structure.
func (m Message) Parts() (Parts, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return Parts{}, fmt.Errorf("parse message: %w", err)
	}
	var p Parts
	mt, _, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return Parts{}, fmt.Errorf("parse content type of message: %w", err)
	}
	p.ContentType = mt
	err = p.walk(textproto.MIMEHeader(msg.Header), msg.Body)
	return p, err
}

func (p *Parts) walk(h textproto.MIMEHeader, body io.Reader) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("parse content type %q: %w", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read %s part: %w", mt, err)
			}
			if err := p.walk(part.Header, part); err != nil {
				return err
			}
		}
	}
	content, err := decodeBody(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	name := fileName(h, params)
	switch {
	case name == "" && mt == "text/plain" && p.Text == "":
		p.Text = strings.ReplaceAll(string(content), "\r\n", "\n")
	case name == "" && mt == "text/html" && p.HTML == "":
		p.HTML = strings.ReplaceAll(string(content), "\r\n", "\n")
	default:
		p.Attachments = append(p.Attachments, Attachment{Name: name, ContentType: ct, MediaType: mt, Params: params, Content: content})
	}
	return nil
}

func fileName(h textproto.MIMEHeader, params map[string]string) string {
	if _, dp, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil && dp["filename"] != "" {
		return decodeHeader(dp["filename"])
	}
	return decodeHeader(params["name"])
}

func decodeBody(encoding string, body io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s body: %w", encoding, err)
	}
	return b, nil
}
