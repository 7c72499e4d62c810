package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bienal/bienal/codec"
)

// codecServerCmd serves the payload codec to the Temporal Web UI and CLI,
// which otherwise show bienal's payloads as encrypted bytes. It holds the
// keys and decrypts whatever it is sent: keep it where only operators
// reach it (loopback, behind an SSH tunnel or the operators' VPN), never
// behind the portal's public proxy.
type codecServerCmd struct {
	Addr    string `name:"addr" env:"CODEC_ADDR" default:"127.0.0.1:8234" help:"Address the codec server listens on."`
	Origins string `name:"origins" env:"CODEC_CORS_ORIGINS" default:"http://127.0.0.1:8233,http://localhost:8233" help:"Comma-separated origins of the Temporal Web UI allowed to call it from a browser."`
}

func (c *codecServerCmd) Run(ctx context.Context, a *app) error {
	pc, err := a.cfg.PayloadCodec()
	if err != nil {
		return err
	}
	if !pc.Encrypts() {
		return errors.New("TEMPORAL_PAYLOAD_KEYS: not set; the codec server decrypts with the keys every worker encrypts with: set the same list")
	}
	var origins []string
	for _, o := range strings.Split(c.Origins, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			origins = append(origins, o)
		}
	}
	stop, err := serveHTTP(ctx, a, c.Addr, codec.Handler(pc, origins))
	if err != nil {
		return fmt.Errorf("codec server on %s (CODEC_ADDR): %w", c.Addr, err)
	}
	defer stop()
	a.logger.Info("codec server running", "url", "http://"+c.Addr, "key_id", pc.KeyID(), "origins", origins)
	<-ctx.Done()
	return nil
}
