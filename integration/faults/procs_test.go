//go:build integration

package faults

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	netmail "net/mail"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Set once by TestMain.
var (
	plenaryBin string
	natsBin    string
	pgBin      string
	workDir    string
	// soak runs the scenarios at the scale of the issue (make soak); the suite runs them
	// smaller, with the same faults.
	soak = os.Getenv("PLENARY_SOAK") != ""
)

func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	var err error
	if workDir, err = os.MkdirTemp("", "plenary-faults-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(workDir)
	// Processes run as another user (PostgreSQL refuses root) must reach the work dir.
	_ = os.Chmod(workDir, 0o755)
	if msg := setup(); msg != "" {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "faults:", msg)
			return 1
		}
		fmt.Fprintln(os.Stderr, "faults: skipped:", msg)
		return 0
	}
	code := m.Run()
	printTable(os.Stdout)
	return code
}

func setup() string {
	root, err := filepath.Abs("../..")
	if err != nil {
		return err.Error()
	}
	gobin := os.Getenv("GO")
	if gobin == "" {
		gobin = "go"
	}
	plenaryBin = filepath.Join(workDir, "plenary")
	build := exec.Command(gobin, "build", "-o", plenaryBin, "./services/cmd/plenary")
	build.Dir, build.Stderr, build.Env = root, os.Stderr, append(os.Environ(), "CGO_ENABLED=0")
	if err := build.Run(); err != nil {
		return "build plenary: " + err.Error()
	}
	// A nats-server on PATH older than 2.10 lacks consumers with several filter subjects
	// (interpretation's re-check consumer): the module's pinned server is built instead.
	if natsBin, err = exec.LookPath("nats-server"); err != nil || !natsAtLeast210(natsBin) {
		natsBin = filepath.Join(workDir, "nats-server")
		b := exec.Command(gobin, "build", "-o", natsBin, "github.com/nats-io/nats-server/v2")
		b.Dir, b.Stderr, b.Env = root, os.Stderr, append(os.Environ(), "CGO_ENABLED=0")
		if err := b.Run(); err != nil {
			return "no nats-server on PATH, and building it failed: " + err.Error()
		}
	}
	for _, dir := range []string{os.Getenv("PLENARY_PG_BIN"), "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"} {
		if dir != "" {
			if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
				pgBin = dir
				break
			}
		}
	}
	if pgBin == "" {
		return "no PostgreSQL server binaries (initdb, postgres): apt-get install postgresql, or set PLENARY_PG_BIN"
	}
	return ""
}

// natsAtLeast210 reports whether the nats-server at bin is version 2.10 or later.
func natsAtLeast210(bin string) bool {
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return false
	}
	// "nats-server: v2.9.10"
	f := strings.Fields(string(out))
	if len(f) == 0 {
		return false
	}
	parts := strings.SplitN(strings.TrimPrefix(f[len(f)-1], "v"), ".", 3)
	if len(parts) < 2 {
		return false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return err1 == nil && err2 == nil && (major > 2 || major == 2 && minor >= 10)
}

// freePort asks the kernel for a free loopback port.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// proc is a child process of the suite, with its output in a log file.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	log  string
}

func startProc(t testing.TB, name string, cred *syscall.Credential, env []string, bin string, args ...string) *proc {
	t.Helper()
	logPath := filepath.Join(workDir, fmt.Sprintf("%s-%d.log", strings.ReplaceAll(t.Name(), "/", "_")+"-"+name, time.Now().UnixNano()))
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = f, f
	// Its own process group (to freeze PostgreSQL with all its backends), killed with
	// the suite if the suite dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL, Credential: cred}
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{}), log: logPath}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL (kill -9) and waits for the process to be gone.
func (p *proc) kill() {
	if p.exited() {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGCONT) // a frozen group must be able to die
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop sends sig and waits up to grace for the exit, then kills.
func (p *proc) stop(sig syscall.Signal, grace time.Duration) {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.kill()
	}
}

// group signals the whole process group (PostgreSQL's postmaster and its backends).
func (p *proc) group(sig syscall.Signal) error { return syscall.Kill(-p.cmd.Process.Pid, sig) }

func (p *proc) tail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s", what, timeout)
}

// pgServer is a private PostgreSQL cluster (initdb + postgres) on a free port.
type pgServer struct {
	t    testing.TB
	dir  string
	port int
	cred *syscall.Credential
	p    *proc
}

func startPostgres(t testing.TB) *pgServer {
	t.Helper()
	base, err := os.MkdirTemp(workDir, "pg-")
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(base, 0o755)
	s := &pgServer{t: t, dir: filepath.Join(base, "data"), port: freePort(t)}
	if os.Geteuid() == 0 {
		// PostgreSQL will not run as root.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs a postgres user for the private server: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(base, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	initdb := exec.Command(filepath.Join(pgBin, "initdb"), "-D", s.dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	s.start()
	db := s.open("postgres")
	defer db.Close()
	if _, err := db.Exec(`CREATE DATABASE plenary`); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *pgServer) start() {
	s.t.Helper()
	s.p = startProc(s.t, "postgres", s.cred, nil, filepath.Join(pgBin, "postgres"), "-D", s.dir, "-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="+filepath.Dir(s.dir), "-c", "fsync=off",
		"-c", "max_connections=300", "-c", "shared_buffers=64MB")
	waitFor(s.t, "private PostgreSQL to accept connections", 60*time.Second, func() bool {
		db := s.open("postgres")
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return db.PingContext(ctx) == nil
	})
}

func (s *pgServer) dsn(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, name)
}

func (s *pgServer) open(name string) *sql.DB {
	db, err := sql.Open("pgx", s.dsn(name)+"&connect_timeout=2")
	if err != nil {
		s.t.Fatal(err)
	}
	return db
}

// restart stops the server the way an operator does (fast shutdown: sessions are cut)
// and starts it again on the same data.
func (s *pgServer) restart(down time.Duration) {
	s.p.stop(syscall.SIGINT, 30*time.Second)
	time.Sleep(down)
	s.start()
}

// natsServer is a private nats-server with JetStream, alone or one node of a cluster.
type natsServer struct {
	t           testing.TB
	name        string
	port, route int
	dir         string
	routes      []string
	p           *proc
}

func newNATS(t testing.TB, name string) *natsServer {
	dir, err := os.MkdirTemp(workDir, "nats-")
	if err != nil {
		t.Fatal(err)
	}
	return &natsServer{t: t, name: name, port: freePort(t), route: freePort(t), dir: dir}
}

func (n *natsServer) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", n.port) }

func (n *natsServer) start() {
	n.t.Helper()
	args := []string{"-a", "127.0.0.1", "-p", strconv.Itoa(n.port), "-js", "-sd", n.dir, "--server_name", n.name}
	if len(n.routes) > 0 {
		args = append(args, "--cluster_name", "plenary", "--cluster", fmt.Sprintf("nats://127.0.0.1:%d", n.route), "--routes", strings.Join(n.routes, ","))
	}
	n.p = startProc(n.t, "nats-"+n.name, nil, nil, natsBin, args...)
	waitFor(n.t, "nats-server "+n.name, 30*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", n.port), time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// natsCluster starts three JetStream nodes routed to each other.
func natsCluster(t testing.TB) []*natsServer {
	ns := []*natsServer{newNATS(t, "n1"), newNATS(t, "n2"), newNATS(t, "n3")}
	for _, n := range ns {
		for _, o := range ns {
			if o != n {
				n.routes = append(n.routes, fmt.Sprintf("nats://127.0.0.1:%d", o.route))
			}
		}
	}
	for _, n := range ns {
		n.start()
	}
	return ns
}

// linkKeys are shared by every API and notifier process of a test.
const linkKeys = "k1:0707070707070707070707070707070707070707070707070707070707070707"

// plenaryProc is a `plenary api` or `plenary notifier` process.
type plenaryProc struct {
	kind string
	env  []string
	addr string
	p    *proc
	t    testing.TB
}

func startPlenary(t testing.TB, kind string, env ...string) *plenaryProc {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	pp := &plenaryProc{kind: kind, t: t, addr: addr, env: append([]string{
		"PLENARY_LINK_KEYS=" + linkKeys, "PLENARY_LOG_LEVEL=info", "PLENARY_RATE_TOKEN=-1", "PLENARY_RATE_PUBLIC=-1",
		"PLENARY_PUBLIC_URL=https://plenary.example.org", "PLENARY_SMTP_FROM=Plenary <notices@plenary.example.org>",
	}, env...)}
	if kind == "api" {
		pp.env = append(pp.env, "PLENARY_ADDR="+addr)
	} else {
		pp.env = append(pp.env, "PLENARY_METRICS_ADDR="+addr)
	}
	pp.start()
	return pp
}

func (pp *plenaryProc) start() {
	pp.t.Helper()
	pp.p = startProc(pp.t, pp.kind, nil, pp.env, plenaryBin, pp.kind)
	waitFor(pp.t, "plenary "+pp.kind+" to be ready", 90*time.Second, func() bool {
		if pp.p.exited() {
			pp.t.Fatalf("plenary %s exited: %v\n%s", pp.kind, pp.p.err, pp.p.tail())
		}
		res, err := http.Get("http://" + pp.addr + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == 200
	})
}

// restart kills the process with SIGKILL and starts it again at once.
func (pp *plenaryProc) restart() {
	pp.p.kill()
	pp.start()
}

// adminToken creates an admin token with `plenary token create`.
func adminToken(t testing.TB, dsn string) string {
	t.Helper()
	out, err := exec.Command(plenaryBin, "token", "create", "--database-url", dsn, "--role", "admin", "--name", "fault suite").CombinedOutput()
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, out)
	}
	lines := strings.Fields(strings.TrimSpace(string(out)))
	return lines[len(lines)-1]
}

// client is a secretariat client of one or more API processes.
type client struct {
	token string
	http  *http.Client
}

func newClient(token string, timeout time.Duration) *client {
	return &client{token: token, http: &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

type answer struct {
	status  int
	header  http.Header
	body    []byte
	elapsed time.Duration
}

func (a answer) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(a.body, &m)
	return m
}

func (c *client) do(ctx context.Context, addr, method, path, contentType string, body []byte, headers ...string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+addr+path, bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	start := time.Now()
	res, err := c.http.Do(req)
	if err != nil {
		return answer{elapsed: time.Since(start)}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, header: res.Header, body: b, elapsed: time.Since(start)}, err
}

func (c *client) post(ctx context.Context, addr, path string, v any, headers ...string) (answer, error) {
	b, _ := json.Marshal(v)
	return c.do(ctx, addr, "POST", path, "application/json", b, headers...)
}

// must does a request that has to succeed with want.
func (c *client) must(t testing.TB, want int, addr, method, path string, v any) map[string]any {
	t.Helper()
	var body []byte
	if v != nil {
		body, _ = json.Marshal(v)
	}
	a, err := c.do(context.Background(), addr, method, path, "application/json", body)
	if err != nil || a.status != want {
		t.Fatalf("%s %s: %d %s (%v), want %d", method, path, a.status, a.body, err, want)
	}
	return a.json()
}

// mailSink is an SMTP server that records when each message arrived, by Message-ID.
type mailSink struct {
	addr string
	port int
	srv  *smtp.Server

	mu       sync.Mutex
	arrivals []arrival
}

type arrival struct {
	messageID string
	to        string
	subject   string
	at        time.Time
}

func startSink(t testing.TB) *mailSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &mailSink{addr: ln.Addr().String(), port: ln.Addr().(*net.TCPAddr).Port}
	s.srv = smtp.NewServer(sinkBackend{s})
	s.srv.Domain = "sink.test"
	// A killed notifier resets its connections: expected here, not worth a line each.
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.AllowInsecureAuth = true
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { s.srv.Close() })
	return s
}

func (s *mailSink) got() []arrival {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]arrival(nil), s.arrivals...)
}

func (s *mailSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.arrivals)
}

type sinkBackend struct{ s *mailSink }

func (b sinkBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: b.s}, nil }

type sinkSession struct {
	s  *mailSink
	to string
}

func (x *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (x *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = to
	return nil
}
func (x *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := netmail.ReadMessage(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	x.s.arrivals = append(x.s.arrivals, arrival{messageID: msg.Header.Get("Message-Id"), to: x.to, subject: msg.Header.Get("Subject"), at: time.Now()})
	x.s.mu.Unlock()
	return nil
}
func (x *sinkSession) Reset()        { x.to = "" }
func (x *sinkSession) Logout() error { return nil }

// row is one line of the suite's table.
type row struct {
	scenario                         string
	expected, sent, duplicates, lost int
	late                             int
	p99                              time.Duration
	note                             string
}

var (
	tableMu sync.Mutex
	table   []row
)

func report(r row) {
	tableMu.Lock()
	defer tableMu.Unlock()
	table = append(table, r)
}

func printTable(w io.Writer) {
	tableMu.Lock()
	defer tableMu.Unlock()
	if len(table) == 0 {
		return
	}
	scale := "suite scale (make soak runs the issue's scale)"
	if soak {
		scale = "soak scale"
	}
	fmt.Fprintf(w, "\nFault suite, %s:\n", scale)
	fmt.Fprintf(w, "%-62s %9s %7s %10s %5s %5s %10s  %s\n", "scenario", "expected", "sent", "duplicates", "lost", "late", "p99 delay", "notes")
	for _, r := range table {
		p99 := "-"
		if r.p99 > 0 {
			p99 = r.p99.Round(10 * time.Millisecond).String()
		}
		fmt.Fprintf(w, "%-62s %9d %7d %10d %5d %5d %10s  %s\n", r.scenario, r.expected, r.sent, r.duplicates, r.lost, r.late, p99, r.note)
	}
}

// percentile is the p-th percentile (0..1) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p)
	return s[i]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
