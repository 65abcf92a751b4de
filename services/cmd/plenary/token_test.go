package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
)

func TestTokenCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"token", "create", "--data-dir", dir, "--role", "planner", "--name", "laptop", "--meeting", "m1"}, &out, &errOut); err != nil {
		t.Fatalf("create: %v %s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	secret := lines[len(lines)-1]
	if _, ok := auth.ParseBearer("Bearer " + secret); !ok {
		t.Fatalf("last line is not a token: %q", out.String())
	}
	d, err := db.Open(ctx, "sqlite:"+filepath.Join(dir, "plenary.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	tok, err := auth.NewStore(d, nil).Authenticate(ctx, secret)
	if err != nil || tok.Role != auth.RolePlanner || tok.Name != "laptop" || len(tok.Meetings) != 1 {
		t.Fatalf("created token: %+v %v", tok, err)
	}
	out.Reset()
	if err := run(ctx, []string{"token", "list", "--data-dir", dir}, &out, &errOut); err != nil || !strings.Contains(out.String(), tok.ID) || strings.Contains(out.String(), secret) {
		t.Fatalf("list: %v %s", err, out.String())
	}
	if err := run(ctx, []string{"token", "revoke", "--data-dir", dir, tok.ID}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.NewStore(d, nil).Authenticate(ctx, secret); err == nil {
		t.Fatal("revoked token still authenticates")
	}
	if err := run(ctx, []string{"token", "create", "--data-dir", dir, "--role", "root"}, &out, &errOut); err == nil {
		t.Fatal("role root accepted")
	}
}

func TestFirstAdminToken(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := db.Open(ctx, "sqlite:"+filepath.Join(dir, "plenary.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := db.Migrate(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := firstAdminToken(ctx, d, dir, &out); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, adminTokenFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.TrimSpace(string(raw))
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 || !strings.Contains(out.String(), secret) {
		t.Fatalf("admin-token mode %v, output %q", fi.Mode(), out.String())
	}
	if tok, err := auth.NewStore(d, nil).Authenticate(ctx, secret); err != nil || tok.Role != auth.RoleAdmin {
		t.Fatalf("first token: %+v %v", tok, err)
	}
	out.Reset()
	if err := firstAdminToken(ctx, d, dir, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), secret) || !strings.Contains(out.String(), path) {
		t.Fatalf("second start prints %q", out.String())
	}
}

func TestDatabasePasswordIsNotShown(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"token", "list", "--database-url", "postgres://plenary:s3cret-pw@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"}, &out, &errOut)
	if err == nil {
		t.Fatal("connected to nothing")
	}
	if strings.Contains(err.Error()+out.String()+errOut.String(), "s3cret-pw") {
		t.Fatalf("the password is shown: %v", err)
	}
}
