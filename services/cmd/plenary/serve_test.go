package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/services/platform/signed"
)

// `plenary serve` prints and keeps a signed link to its mail page, which a browser opens
// without a bearer token; the page lists the mail folder and its links carry the token.
// Without the link, or with a link for anything else, the page is closed.
func TestServeMailPageLink(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	c, err := parseConfig("serve", []string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--demo=false", "--log-level", "error"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, &out, ready) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	raw, err := os.ReadFile(filepath.Join(dir, mailPageFile))
	if err != nil {
		t.Fatal(err)
	}
	link, err := url.Parse(strings.TrimSpace(string(raw)))
	if err != nil || link.Path != "/dev/mail" || link.Query().Get("token") == "" || !strings.Contains(out.String(), link.String()) {
		t.Fatalf("mail page link %q (%v), output %q", raw, err, out.String())
	}
	// No --public-url: the printed link names the address served, not port 8080.
	if link.Host != addr {
		t.Errorf("mail page link %s does not follow the address %s", link, addr)
	}
	token := link.Query().Get("token")
	if err := (mail.FolderSender{Dir: filepath.Join(dir, "mail")}).Send(ctx, mail.Message{
		From: mail.Address{Email: "notices@plenary.invalid"}, To: mail.Address{Name: "Léa <b>", Email: "lea@example.org"},
		Subject: "Inscription confirmée", Text: "Bonjour", MessageID: "<m1@plenary.invalid>"}); err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	// Readiness names the embedded NATS beside the database.
	if code, body := get("/readyz"); code != 200 || !strings.Contains(body, `"embedded_nats":"ok"`) || !strings.Contains(body, `"database":"ok"`) {
		t.Fatalf("readyz: %d %s", code, body)
	}
	code, page := get("/dev/mail?token=" + url.QueryEscape(token))
	if code != 200 || !strings.Contains(page, "Inscription confirmée") || strings.Contains(page, "Léa <b>") {
		t.Fatalf("mail page: %d %s", code, page)
	}
	i := strings.Index(page, `href="/dev/mail/`)
	if i < 0 {
		t.Fatalf("no message link: %s", page)
	}
	href := page[i+len(`href="`):]
	href = strings.ReplaceAll(href[:strings.IndexByte(href, '"')], "&amp;", "&")
	if code, msg := get(href); code != 200 || !strings.Contains(msg, "Subject:") {
		t.Fatalf("message %s: %d %.200s", href, code, msg)
	}
	if code, _ := get("/dev/mail"); code != http.StatusUnauthorized {
		t.Fatalf("without the link: %d", code)
	}
	keys, err := signed.ParseKeys(strings.TrimSpace(mustRead(t, filepath.Join(dir, "link-keys"))))
	if err != nil {
		t.Fatal(err)
	}
	other := keys.Sign(signed.Calendar, "mail", time.Now().Add(time.Hour))
	if code, _ := get("/dev/mail?token=" + url.QueryEscape(other)); code != http.StatusForbidden {
		t.Fatalf("with a calendar link: %d", code)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
