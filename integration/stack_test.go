//go:build integration

package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/mail/smtptest"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/outbox"
)

// stack is one test's Plenary: its own PostgreSQL database on the host, its own
// nats-server container and API container, all on host networking and loopback ports.
// Tests stop and kill its containers; nothing is shared between tests.
type stack struct {
	t       *testing.T
	dsn     string
	db      *db.DB
	natsURL string
	nats    *dockertest.Resource
	apiAddr string
	api     *dockertest.Resource
	// notifier runs when the binary has the subcommand; it sends to smtp, an SMTP server
	// in the test process on loopback.
	notifier *dockertest.Resource
	smtp     *smtptest.Server
	token    string
	client   *http.Client
	nc       *nats.Conn
	js       jetstream.JetStream
}

func newStack(t *testing.T) *stack {
	t.Helper()
	ctx := context.Background()
	s := &stack{t: t, client: &http.Client{Timeout: 15 * time.Second}}
	s.dsn = createDatabase(t)
	d, err := db.Open(ctx, s.dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	s.db = d

	natsPort := freePort(t)
	s.natsURL = fmt.Sprintf("nats://127.0.0.1:%d", natsPort)
	s.nats = runContainer(t, "nats", &dockertest.RunOptions{
		Repository: natsImage,
		Cmd: []string{"--jetstream", "--store_dir", "/data", "--server_name", "plenary-it-" + runID,
			"--addr", "127.0.0.1", "--port", strconv.Itoa(natsPort)},
	})

	var key [32]byte
	_, _ = rand.Read(key[:])
	env := []string{"PLENARY_DATABASE_URL=" + s.dsn, "PLENARY_LOG_LEVEL=info",
		"PLENARY_NATS_URL=" + s.natsURL,
		// One signing key for every process: a link the notifier mails must verify on the API.
		"PLENARY_LINK_KEYS=k1:" + hex.EncodeToString(key[:])}
	if code, logs := runToExit(t, "migrate", &dockertest.RunOptions{Repository: plenaryImage, Cmd: []string{"migrate"}, Env: env}); code != 0 {
		t.Fatalf("plenary migrate exited %d:\n%s", code, logs)
	}
	if commands["token"] {
		r := runContainer(t, "token", &dockertest.RunOptions{Repository: plenaryImage,
			Cmd: []string{"token", "create", "--role", "admin", "--name", "integration suite", "--database-url", s.dsn}})
		if code := waitExit(t, r); code != 0 {
			t.Fatalf("plenary token create exited %d:\n%s", code, containerLogs(r, "all"))
		}
		s.token = lastLine(containerStdout(r)) // the secret is the last line it prints
	}

	s.apiAddr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s.api = runContainer(t, "api", &dockertest.RunOptions{
		Repository: plenaryImage,
		Cmd:        []string{"api"},
		Env: append(env,
			"PLENARY_ADDR="+s.apiAddr,
			"PLENARY_PUBLIC_URL=http://"+s.apiAddr,
			"PLENARY_SHUTDOWN_GRACE=20s",
		),
	})
	s.waitReady()

	if commands["notifier"] {
		s.smtp = smtptest.Start(t)
		s.notifier = runContainer(t, "notifier", &dockertest.RunOptions{
			Repository: plenaryImage,
			Cmd:        []string{"notifier"},
			Env: append(env,
				"PLENARY_PUBLIC_URL=http://"+s.apiAddr,
				"PLENARY_SMTP_HOST=127.0.0.1",
				"PLENARY_SMTP_PORT="+strconv.Itoa(s.smtp.Port),
				"PLENARY_SMTP_TLS=none",
				"PLENARY_NOTIFIER_SCHEDULE=@every 1s",
			),
		})
	}

	nc, err := nats.Connect(s.natsURL, nats.Name("plenary-integration"),
		nats.RetryOnFailedConnect(true), nats.MaxReconnects(-1), nats.ReconnectWait(200*time.Millisecond))
	if err != nil {
		t.Fatalf("connect to nats: %v", err)
	}
	t.Cleanup(nc.Close)
	s.nc = nc
	if s.js, err = jetstream.New(nc); err != nil {
		t.Fatalf("jetstream: %v", err)
	}
	return s
}

// createDatabase makes an empty database for one test and drops it when the test ends.
func createDatabase(t *testing.T) string {
	t.Helper()
	admin, err := sql.Open("pgx", adminDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "plenary_it_" + runID + "_" + strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "_"))
	if len(name) > 63 {
		name = name[:63]
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", adminDSN())
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(adminDSN())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func containerName(t *testing.T, role string) string {
	return "plenary-it-" + runID + "-" + strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "-")) + "-" + role
}

// runContainer starts a container on host networking that the test stops, kills and
// restarts at will; it is removed (with its logs shown if the test failed) at cleanup.
func runContainer(t *testing.T, role string, opts *dockertest.RunOptions) *dockertest.Resource {
	t.Helper()
	opts.Name = containerName(t, role)
	opts.Labels = map[string]string{labelKey: runID}
	if opts.Tag == "" {
		opts.Tag = "latest"
	}
	r, err := pool.RunWithOptions(opts, func(hc *dc.HostConfig) {
		hc.NetworkMode = "host"
		hc.AutoRemove = false
		hc.RestartPolicy = dc.RestartPolicy{Name: "no"}
	})
	if err != nil {
		t.Fatalf("run %s container: %v", role, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last log lines of %s:\n%s", role, containerLogs(r, "80"))
		}
		_ = pool.Purge(r)
	})
	return r
}

// runToExit runs a one-shot container (migrate, token create) and returns its exit code
// and output.
func runToExit(t *testing.T, role string, opts *dockertest.RunOptions) (int, string) {
	t.Helper()
	r := runContainer(t, role, opts)
	return waitExit(t, r), containerLogs(r, "all")
}

// waitExit waits for a container to exit and returns its exit code.
func waitExit(t *testing.T, r *dockertest.Resource) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code, err := pool.Client.WaitContainerWithContext(r.Container.ID, ctx)
	if err != nil {
		t.Fatalf("wait for %s: %v", r.Container.Name, err)
	}
	return code
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// waitReady waits until the API answers /readyz with 200.
func (s *stack) waitReady() {
	s.t.Helper()
	err := pool.Retry(func() error {
		resp, err := s.client.Get("http://" + s.apiAddr + "/readyz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("readyz: %s", resp.Status)
		}
		return nil
	})
	if err != nil {
		s.t.Fatalf("api not ready at %s: %v\n%s", s.apiAddr, err, containerLogs(s.api, "40"))
	}
}

// reply is an HTTP answer with its JSON body decoded.
type reply struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

func (s *stack) do(method, path string, body any, headers ...string) (reply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "http://"+s.apiAddr+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	r := reply{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &r.Body)
	}
	return r, nil
}

// must makes a request that has to answer want and returns the decoded body.
func (s *stack) must(want int, method, path string, body any) map[string]any {
	s.t.Helper()
	r, err := s.do(method, path, body)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	if r.Status != want {
		s.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, want, r.Raw)
	}
	return r.Body
}

func meetingBody(title string) map[string]any {
	return map[string]any{
		"title":    map[string]string{"en": title, "fr": title},
		"venue_tz": "Europe/Paris",
	}
}

func sessionBody(i int) map[string]any {
	day := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
	return map[string]any{
		"title":            map[string]string{"en": fmt.Sprintf("Session %d", i+1)},
		"start":            day.Format("2006-01-02") + "T16:30",
		"end":              day.Format("2006-01-02") + "T18:30",
		"tz":               "Europe/Paris",
		"floor_languages":  []string{"en"},
		"output_languages": []string{"fr", "es", "ar"},
	}
}

func (s *stack) createMeeting(title string) string {
	s.t.Helper()
	return s.must(http.StatusCreated, "POST", "/v1/meetings", meetingBody(title))["id"].(string)
}

func (s *stack) createSession(meetingID string, i int) string {
	s.t.Helper()
	return s.must(http.StatusCreated, "POST", "/v1/meetings/"+meetingID+"/sessions", sessionBody(i))["id"].(string)
}

// waitPublished waits until the outbox has no unpublished event left.
func (s *stack) waitPublished(timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n, err := outbox.Pending(context.Background(), s.db)
		if err == nil && n == 0 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%d events still unpublished after %s (err %v)\n%s", n, timeout, err, containerLogs(s.api, "40"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// streamEvent is one message of the PLENARY stream.
type streamEvent struct {
	Seq     uint64
	Subject string
	MsgID   string
	contracts.Event
}

// events reads the whole PLENARY stream in order.
func (s *stack) events() []streamEvent {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	str, err := s.js.Stream(ctx, contracts.Stream)
	if err != nil {
		s.t.Fatalf("stream %s: %v", contracts.Stream, err)
	}
	info, err := str.Info(ctx)
	if err != nil {
		s.t.Fatalf("stream info: %v", err)
	}
	var out []streamEvent
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := str.GetMsg(ctx, seq)
		if err != nil {
			s.t.Fatalf("get message %d: %v", seq, err)
		}
		e := streamEvent{Seq: seq, Subject: m.Subject, MsgID: m.Header.Get(nats.MsgIdHdr)}
		if err := json.Unmarshal(m.Data, &e.Event); err != nil {
			s.t.Fatalf("message %d on %s is not an event: %v: %s", seq, m.Subject, err, m.Data)
		}
		out = append(out, e)
	}
	return out
}

// checkEnvelopes fails the test unless every message is stored once, on its type's
// subject, with the event id as Nats-Msg-Id.
func checkEnvelopes(t *testing.T, evs []streamEvent) {
	t.Helper()
	seen := map[string]uint64{}
	for _, e := range evs {
		if e.MsgID == "" || e.MsgID != e.ID {
			t.Errorf("seq %d: Nats-Msg-Id %q, event id %q", e.Seq, e.MsgID, e.ID)
		}
		if e.Subject != contracts.Subject(e.Type) {
			t.Errorf("seq %d: subject %s for type %s", e.Seq, e.Subject, e.Type)
		}
		if first, dup := seen[e.ID]; dup {
			t.Errorf("event %s stored twice: seq %d and %d", e.ID, first, e.Seq)
		}
		seen[e.ID] = e.Seq
	}
}

// entityID is the id of the meeting or session an event is about.
func entityID(t *testing.T, e streamEvent) string {
	t.Helper()
	var p struct {
		Meeting struct{ ID string } `json:"meeting"`
		Session struct{ ID string } `json:"session"`
	}
	if err := e.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.Session.ID != "" {
		return p.Session.ID
	}
	return p.Meeting.ID
}
