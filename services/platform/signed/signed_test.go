package signed

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func testKeys(t *testing.T, current string, ids ...string) *Keys {
	t.Helper()
	m := map[string][]byte{}
	for _, id := range ids {
		m[id] = []byte(strings.Repeat(id, 32)[:32])
	}
	k, err := NewKeys(current, m)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSignVerify(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	k := testKeys(t, "a", "a")
	tok := k.Sign(Registration, "reg-1", now.Add(time.Hour))
	if sub, err := k.Verify(tok, Registration, now); err != nil || sub != "reg-1" {
		t.Fatalf("verify: %q %v", sub, err)
	}
	if _, err := k.Verify(tok, Unsubscribe, now); !errors.Is(err, ErrInvalid) {
		t.Fatalf("another purpose must not verify: %v", err)
	}
	if _, err := k.Verify(tok, Registration, now.Add(time.Hour)); !errors.Is(err, ErrExpired) {
		t.Fatalf("expired: %v", err)
	}
	// Tampering with any byte of the payload or signature fails.
	for i := range tok {
		b := []byte(tok)
		b[i] ^= 0x01
		if sub, err := k.Verify(string(b), Registration, now); err == nil && sub != "reg-1" {
			t.Fatalf("tampered token at %d verified as %q", i, sub)
		} else if err == nil {
			// Flipping a bit that base64 ignores (padding bits) may leave the bytes equal.
			continue
		}
	}
	for _, bad := range []string{"", ".", "x.y", "a.b.c", strings.Repeat("A", 5000)} {
		if _, err := k.Verify(bad, Registration, now); !errors.Is(err, ErrInvalid) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
}

func TestRotation(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	old := testKeys(t, "a", "a")
	tok := old.Sign(Calendar, "r1", now.Add(time.Hour))
	rotated := testKeys(t, "b", "a", "b")
	if sub, err := rotated.Verify(tok, Calendar, now); err != nil || sub != "r1" {
		t.Fatalf("a token of the previous key must verify after rotation: %v", err)
	}
	retired := testKeys(t, "b", "b")
	if _, err := retired.Verify(tok, Calendar, now); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a token of a retired key must fail: %v", err)
	}
}

func TestParseKeys(t *testing.T) {
	k, spec := NewRandomKeys()
	parsed, err := ParseKeys(spec)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := parsed.Verify(k.Sign(Assignment, "x", now.Add(time.Minute)), Assignment, now); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "k1", "k1:zz", "k1:00"} {
		if _, err := ParseKeys(bad); err == nil {
			t.Fatalf("%q parsed", bad)
		}
	}
}

func FuzzVerify(f *testing.F) {
	k, _ := NewRandomKeys()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	f.Add(k.Sign(Registration, "reg-1", now.Add(time.Hour)))
	f.Add("eHx5fHp8MQ.AAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		sub, err := k.Verify(tok, Registration, now)
		if err == nil && sub == "" {
			t.Fatal("empty subject verified")
		}
	})
}
