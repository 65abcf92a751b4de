package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/time/rate"

	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
)

// security is the access configuration of the API.
type security struct {
	Limits         auth.Limits
	CORSOrigins    []string
	TrustedProxies []string
	// RequestBudget is each request's deadline, under the write timeout.
	RequestBudget time.Duration
}

func (c config) security() security {
	var proxies []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			proxies = append(proxies, p)
		}
	}
	return security{
		Limits:         auth.Limits{PerToken: rate.Limit(c.RateToken), PerIP: rate.Limit(c.RatePublic)},
		CORSOrigins:    auth.ParseOrigins(c.CORSOrigins),
		TrustedProxies: proxies,
		RequestBudget:  requestBudget(c.WriteTimeout),
	}
}

// adminTokenFile is where `plenary serve` keeps its first admin token.
const adminTokenFile = "admin-token"

// firstAdminToken gives a new `plenary serve` data directory an admin token, printed once
// and kept in <data-dir>/admin-token (0600) so that `make run` stays a one-command start.
func firstAdminToken(ctx context.Context, d *db.DB, dataDir string, stdout io.Writer) error {
	tokens := auth.NewStore(d, nil)
	n, err := tokens.Count(ctx)
	if err != nil {
		return err
	}
	path := filepath.Join(dataDir, adminTokenFile)
	if n > 0 {
		if _, err := os.Stat(path); err == nil {
			fmt.Fprintf(stdout, "Admin API token: in %s\n", path)
		} else {
			fmt.Fprintf(stdout, "API tokens exist; make one with: plenary token create --data-dir %s --role admin\n", dataDir)
		}
		return nil
	}
	_, secret, err := tokens.Create(ctx, auth.NewToken{Name: "first admin (plenary serve)", Role: auth.RoleAdmin})
	if err != nil {
		return fmt.Errorf("create the first admin token: %w", err)
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(stdout, "Admin API token (kept in %s; shown once here):\n%s\n", path, secret)
	return nil
}

const tokenUsage = `usage:
  plenary token create --role admin|planner|viewer [--meeting ID]... [--name NAME]
  plenary token list
  plenary token revoke ID

Each takes --database-url (PLENARY_DATABASE_URL: postgres://... or sqlite:PATH) or
--data-dir (the SQLite database of plenary serve). create prints the token on its last
line; it is stored hashed and cannot be shown again.
`

type meetingFlags []string

func (m *meetingFlags) String() string     { return strings.Join(*m, ",") }
func (m *meetingFlags) Set(v string) error { *m = append(*m, v); return nil }

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, tokenUsage)
		if len(args) == 0 {
			return errors.New("token: no subcommand given")
		}
		return flag.ErrHelp
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("plenary token "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("database-url", env("DATABASE_URL", ""), "database DSN: postgres://... or sqlite:PATH (PLENARY_DATABASE_URL)")
	dataDir := fs.String("data-dir", env("DATA_DIR", ""), "data directory of plenary serve, instead of --database-url (PLENARY_DATA_DIR)")
	var role, name string
	var meetings meetingFlags
	if sub == "create" {
		fs.StringVar(&role, "role", "", "admin, planner or viewer")
		fs.StringVar(&name, "name", "", "what the token is for, e.g. \"secretariat laptop\"")
		fs.Var(&meetings, "meeting", "limit the token to this meeting (repeatable)")
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if *dsn == "" && *dataDir != "" {
		*dsn = "sqlite:" + filepath.Join(*dataDir, "plenary.db")
	}
	if *dsn == "" {
		return errors.New("token: give --database-url (or PLENARY_DATABASE_URL) or --data-dir")
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := db.Migrate(ctx, d, slog.New(slog.DiscardHandler)); err != nil {
		return err
	}
	tokens := auth.NewStore(d, nil)
	switch sub {
	case "create":
		if fs.NArg() > 0 {
			return fmt.Errorf("token create: unexpected arguments: %s", strings.Join(fs.Args(), " "))
		}
		t, secret, err := tokens.Create(ctx, auth.NewToken{Name: name, Role: auth.Role(role), Meetings: meetings})
		if err != nil {
			return fmt.Errorf("token create: %w", err)
		}
		scope := "all meetings"
		if len(t.Meetings) > 0 {
			scope = "meetings " + strings.Join(t.Meetings, ", ")
		}
		fmt.Fprintf(stdout, "Created %s token %s (%q, %s). It is shown only now:\n%s\n", t.Role, t.ID, t.Name, scope, secret)
		return nil
	case "list":
		ts, err := tokens.List(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tROLE\tNAME\tMEETINGS\tCREATED\tLAST USED\tREVOKED")
		for _, t := range ts {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, t.Name, orDash(strings.Join(t.Meetings, ",")),
				t.CreatedAt.Format(time.RFC3339), orDash(timeOf(t.LastUsedAt)), orDash(timeOf(t.RevokedAt)))
		}
		return w.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			return errors.New("token revoke: give the token's ID (plenary token list)")
		}
		t, err := tokens.Revoke(ctx, fs.Arg(0))
		if err != nil {
			return fmt.Errorf("token revoke: %w", err)
		}
		fmt.Fprintf(stdout, "Revoked token %s (%q)\n", t.ID, t.Name)
		return nil
	default:
		fmt.Fprint(stderr, tokenUsage)
		return fmt.Errorf("token: unknown subcommand %q", sub)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func timeOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

// requestBudget leaves a request time to write its 503 before the server's write timeout
// cuts the connection: a tenth of the timeout, at least one second.
func requestBudget(writeTimeout time.Duration) time.Duration {
	if writeTimeout <= 0 {
		return 0
	}
	margin := max(writeTimeout/10, time.Second)
	return max(writeTimeout-margin, writeTimeout/2)
}
