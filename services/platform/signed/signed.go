// Package signed makes and checks the signed, expiring, purpose-bound links that give
// interpreters and registrants access to their own assignment, registration, calendar
// feed and unsubscribe, without an account. A token is
//
//	base64url(payload) "." base64url(HMAC-SHA256(key, payload))
//
// where the payload names the key id, the purpose, the subject (an id) and the expiry.
// Keys rotate: tokens are signed with the current key and verified with any key of the
// set, so a new key can be introduced before the old one is retired.
//
// Written by hand on crypto/hmac because the well-known token libraries (JWT) bring
// algorithm negotiation and a larger surface than a fixed HMAC scheme needs.
package signed

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Purpose binds a token to one use.
type Purpose string

const (
	Registration Purpose = "registration" // read, change or delete one's registration
	Unsubscribe  Purpose = "unsubscribe"  // stop all email for a registration
	Calendar     Purpose = "calendar"     // read a personal calendar feed
	Assignment   Purpose = "assignment"   // accept or decline one's assignment
	DevMail      Purpose = "dev_mail"     // read the mail folder of `plenary serve`
)

// Errors of Verify.
var (
	ErrInvalid = errors.New("the link is not valid")
	ErrExpired = errors.New("the link has expired")
)

// Keys is a rotatable key set.
type Keys struct {
	current string
	keys    map[string][]byte
}

// NewKeys returns a key set that signs with current. Each key must be at least 32 bytes.
func NewKeys(current string, keys map[string][]byte) (*Keys, error) {
	if _, ok := keys[current]; !ok {
		return nil, fmt.Errorf("signing key %q is not in the key set", current)
	}
	for id, k := range keys {
		if id == "" || strings.ContainsAny(id, ".|") {
			return nil, fmt.Errorf("key id %q: must be non-empty without '.' or '|'", id)
		}
		if len(k) < 32 {
			return nil, fmt.Errorf("key %q: at least 32 bytes", id)
		}
	}
	cp := make(map[string][]byte, len(keys))
	for id, k := range keys {
		cp[id] = append([]byte(nil), k...)
	}
	return &Keys{current: current, keys: cp}, nil
}

// ParseKeys reads a key set from configuration: "id1:hex,id2:hex", the first signing.
func ParseKeys(s string) (*Keys, error) {
	keys := map[string][]byte{}
	current := ""
	for _, part := range strings.Split(s, ",") {
		id, hexKey, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, errors.New("link keys: want id:hexkey[,id:hexkey...]")
		}
		k, err := hex.DecodeString(hexKey)
		if err != nil {
			return nil, fmt.Errorf("link key %q: not hex", id)
		}
		if current == "" {
			current = id
		}
		keys[id] = k
	}
	return NewKeys(current, keys)
}

// NewRandomKeys returns a key set with one fresh random key (for development).
func NewRandomKeys() (*Keys, string) {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	ks, _ := NewKeys("k1", map[string][]byte{"k1": k})
	return ks, "k1:" + hex.EncodeToString(k)
}

var b64 = base64.RawURLEncoding

func (k *Keys) mac(keyID string, payload []byte) []byte {
	m := hmac.New(sha256.New, k.keys[keyID])
	m.Write(payload)
	return m.Sum(nil)
}

// Sign returns a token granting purpose on subject until expires.
func (k *Keys) Sign(p Purpose, subject string, expires time.Time) string {
	payload := []byte(k.current + "|" + string(p) + "|" + subject + "|" + strconv.FormatInt(expires.Unix(), 10))
	return b64.EncodeToString(payload) + "." + b64.EncodeToString(k.mac(k.current, payload))
}

// Verify checks a token for purpose at now and returns its subject.
func (k *Keys) Verify(token string, p Purpose, now time.Time) (string, error) {
	if len(token) > 1024 {
		return "", ErrInvalid
	}
	enc, sig, ok := strings.Cut(token, ".")
	if !ok {
		return "", ErrInvalid
	}
	payload, err := b64.DecodeString(enc)
	if err != nil {
		return "", ErrInvalid
	}
	mac, err := b64.DecodeString(sig)
	if err != nil {
		return "", ErrInvalid
	}
	parts := strings.Split(string(payload), "|")
	if len(parts) != 4 {
		return "", ErrInvalid
	}
	keyID, purpose, subject, exp := parts[0], parts[1], parts[2], parts[3]
	if _, ok := k.keys[keyID]; !ok {
		return "", ErrInvalid
	}
	if !hmac.Equal(mac, k.mac(keyID, payload)) {
		return "", ErrInvalid
	}
	if Purpose(purpose) != p || subject == "" {
		return "", ErrInvalid
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return "", ErrInvalid
	}
	if !now.Before(time.Unix(unix, 0)) {
		return "", ErrExpired
	}
	return subject, nil
}
