package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
)

type userCmd struct {
	Add userAddCmd `cmd:"" help:"Add a secretariat user, or set their password; the password is read from standard input."`
}

type userAddCmd struct {
	Email string `required:"" help:"E-mail address (the login)."`
	Name  string `help:"Name (default: the part of the address before @)."`
	Role  string `default:"secretariat" enum:"secretariat,admin" help:"secretariat or admin."`
}

func (c *userAddCmd) Run(ctx context.Context, a *app) error {
	// Ask only a person at a terminal: a password piped in (echo ... |
	// bienal user add) needs no prompt, and a script's output stays its own.
	if isTerminal(os.Stdin) {
		fmt.Fprintln(os.Stderr, "password (one line on standard input):")
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("read password from standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	name := c.Name
	if name == "" {
		name, _, _ = strings.Cut(c.Email, "@")
	}
	s, err := a.store(ctx)
	if err != nil {
		return err
	}
	if err := s.SetPassword(ctx, c.Email, name, c.Role, password); err != nil {
		return err
	}
	fmt.Printf("user %s (%s) can log in at %s/login\n", c.Email, c.Role, a.cfg.PublicBaseURL())
	return nil
}

// isTerminal tells whether f is a terminal rather than a pipe or a file.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
