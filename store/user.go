package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// User is a secretariat user who signs in to the portal.
type User struct {
	Email    string
	Name     string
	Role     string
	Language string
	// TimeZone is where the user reads times (an IANA name), UTC unless
	// the programme file says otherwise.
	TimeZone string
}

// ErrBadCredentials is returned for an unknown e-mail and a wrong password
// alike, so that a guess learns nothing about who has an account.
var ErrBadCredentials = errors.New("wrong e-mail or password")

// Password limits: long enough to resist guessing, short enough that hashing
// a huge input cannot be used to tie up the server.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// argon2id parameters (OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// SetPassword creates or updates the secretariat user email with a name, a
// role (secretariat or admin) and a password, stored as an argon2id hash with
// a salt of its own. A new person gets Spanish as language; an existing one
// keeps theirs.
func (s *Store) SetPassword(ctx context.Context, email, name, role, password string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if err := checkUserInput(email, name, role, password); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `INSERT INTO person (email, name, language) VALUES ($1, $2, 'es')
			ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name`, email, name); err != nil {
			return fmt.Errorf("save person %s: %w", email, err)
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO secretariat_user (email, role, password_hash) VALUES ($1, $2, $3)
			ON CONFLICT (email) DO UPDATE SET role = EXCLUDED.role, password_hash = EXCLUDED.password_hash`,
			email, role, hash); err != nil {
			return fmt.Errorf("save secretariat user %s: %w", email, err)
		}
		// A new password ends every session opened with the old one.
		if _, err := tx.db.Exec(ctx, `DELETE FROM web_session WHERE email = $1`, email); err != nil {
			return fmt.Errorf("end sessions of %s: %w", email, err)
		}
		return tx.Audit(ctx, "", "cli", "user/"+email, "password_set", map[string]string{"role": role})
	})
}

func checkUserInput(email, name, role, password string) error {
	switch {
	case len(email) > 320 || !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\r\n"):
		return fmt.Errorf("e-mail %q: not an e-mail address", email)
	case strings.TrimSpace(name) == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 200:
		return fmt.Errorf("name of %s: must be 1 to 200 characters of valid UTF-8", email)
	case role != "secretariat" && role != "admin":
		return fmt.Errorf("role %q: must be secretariat or admin", role)
	case utf8.RuneCountInString(password) < MinPasswordLength || len(password) > MaxPasswordLength:
		return fmt.Errorf("password of %s: must be %d to %d characters", email, MinPasswordLength, MaxPasswordLength)
	case !utf8.ValidString(password):
		return fmt.Errorf("password of %s: not valid UTF-8", email)
	}
	return nil
}

// CheckPassword returns the user whose e-mail and password these are, or
// ErrBadCredentials.
func (s *Store) CheckPassword(ctx context.Context, email, password string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var u User
	var encoded *string
	err := s.db.QueryRow(ctx, `SELECT p.email, p.name, u.role, p.language, p.time_zone, u.password_hash
		FROM secretariat_user u JOIN person p USING (email) WHERE u.email = $1`, email).
		Scan(&u.Email, &u.Name, &u.Role, &u.Language, &u.TimeZone, &encoded)
	if err != nil && !errors.Is(notFound(err), ErrNotFound) {
		return User{}, fmt.Errorf("load user %s: %w", email, err)
	}
	if encoded == nil || len(password) > MaxPasswordLength {
		// Hash anyway, so that an unknown address takes as long as a known one.
		_, _ = hashPassword(password)
		return User{}, ErrBadCredentials
	}
	ok, err := verifyPassword(*encoded, password)
	if err != nil {
		return User{}, fmt.Errorf("check password of %s: %w", email, err)
	}
	if !ok {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

// hashPassword encodes an argon2id hash PHC-style:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func hashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("random salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// verifyPassword reads the parameters from the encoded hash, so hashes made
// with older parameters still verify after the constants change.
func verifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unknown password hash format")
	}
	var version int
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false, fmt.Errorf("argon2 parameters %q: %w", parts[3], err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("argon2 salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("argon2 hash: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// RecipientLanguage returns the language a person reads (es, en, pt or fr),
// so that a page reached from their link speaks it.
func (s *Store) RecipientLanguage(ctx context.Context, email string) (string, error) {
	var lang string
	err := s.db.QueryRow(ctx, `SELECT language FROM person WHERE email = $1`, email).Scan(&lang)
	if err != nil {
		return "", fmt.Errorf("language of %s: %w", email, notFound(err))
	}
	return lang, nil
}
