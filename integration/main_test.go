//go:build integration

package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for the admin connection
	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

// Images the suite builds from deploy/ and runs; containers carry labelKey so that a run
// can remove what an interrupted earlier run left behind.
const (
	plenaryImage = "plenary-it/plenary"
	natsImage    = "plenary-it/nats"
	labelKey     = "plenary.integration"
)

// Set once by TestMain.
var (
	pool  *dockertest.Pool
	runID string
	// commands lists the subcommands of the binary under test ("token", "notifier", ...),
	// so the suite exercises the ones that exist.
	commands map[string]bool
)

func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	start := time.Now()
	if err := setup(); err != nil {
		fmt.Fprintf(os.Stderr, "integration: %v\n", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "integration: binaries and images ready in %s (run %s)\n", time.Since(start).Round(time.Second), runID)
	return m.Run()
}

func setup() error {
	var b [4]byte
	_, _ = rand.Read(b[:])
	runID = hex.EncodeToString(b[:])

	p, err := dockertest.NewPool("")
	if err != nil {
		return fmt.Errorf("the container suite needs a Docker engine: %w", err)
	}
	if err := p.Client.Ping(); err != nil {
		return fmt.Errorf("the container suite needs a Docker engine, and none answers at %s: %w\n"+
			"  start one (as root: apt-get install -y docker.io && dockerd &), or set DOCKER_HOST; see deploy/README.md", p.Client.Endpoint(), err)
	}
	p.MaxWait = 90 * time.Second
	pool = p
	removeLeftovers()

	if err := pingPostgres(); err != nil {
		return err
	}

	root, err := filepath.Abs("..")
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "plenary-it-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	plenaryCtx := filepath.Join(work, "plenary")
	natsCtx := filepath.Join(work, "nats")
	for _, d := range []string{filepath.Join(plenaryCtx, "tmp"), filepath.Join(natsCtx, "data")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := goBuild(root, filepath.Join(plenaryCtx, "plenary"), "./services/cmd/plenary"); err != nil {
		return err
	}
	if err := goBuild(root, filepath.Join(natsCtx, "nats-server"), "github.com/nats-io/nats-server/v2"); err != nil {
		return err
	}
	for _, c := range []struct{ from, to string }{
		{filepath.Join(root, "deploy", "Dockerfile"), filepath.Join(plenaryCtx, "Dockerfile")},
		{filepath.Join(root, "deploy", "nats.Dockerfile"), filepath.Join(natsCtx, "Dockerfile")},
		{filepath.Join(root, "deploy", "nats", "nats.conf"), filepath.Join(natsCtx, "nats.conf")},
	} {
		if err := copyFile(c.from, c.to); err != nil {
			return err
		}
	}
	if commands, err = subcommands(filepath.Join(plenaryCtx, "plenary")); err != nil {
		return err
	}
	if err := buildImage(plenaryImage, plenaryCtx); err != nil {
		return err
	}
	return buildImage(natsImage, natsCtx)
}

// goBuild builds a static binary (no cgo: the images have no libc).
func goBuild(root, out, pkg string) error {
	gobin := os.Getenv("GO")
	if gobin == "" {
		gobin = "go"
	}
	cmd := exec.Command(gobin, "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s: %w\n%s", pkg, err, stderr.String())
	}
	return nil
}

func buildImage(name, contextDir string) error {
	var out bytes.Buffer
	err := pool.Client.BuildImage(dc.BuildImageOptions{
		Name:                name + ":latest",
		Dockerfile:          "Dockerfile",
		ContextDir:          contextDir,
		OutputStream:        &out,
		RmTmpContainer:      true,
		ForceRmTmpContainer: true,
	})
	if err != nil {
		return fmt.Errorf("build image %s: %w\n%s", name, err, out.String())
	}
	return nil
}

// subcommands reads the usage of the binary and returns the commands it lists.
func subcommands(bin string) (map[string]bool, error) {
	out, err := exec.Command(bin, "help").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s help: %w\n%s", bin, err, out)
	}
	cmds := map[string]bool{}
	inList := false
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "commands:") {
			inList = true
			continue
		}
		if inList && strings.HasPrefix(line, "  ") {
			if f := strings.Fields(line); len(f) > 0 {
				cmds[f[0]] = true
			}
		} else if inList && strings.TrimSpace(line) == "" {
			inList = false
		}
	}
	if !cmds["api"] || !cmds["migrate"] {
		return nil, fmt.Errorf("%s help lists no api/migrate commands:\n%s", bin, out)
	}
	return cmds, nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// removeLeftovers removes containers of earlier runs that ended before their cleanup.
func removeLeftovers() {
	cs, err := pool.Client.ListContainers(dc.ListContainersOptions{All: true, Filters: map[string][]string{"label": {labelKey}}})
	if err != nil {
		return
	}
	for _, c := range cs {
		_ = pool.Client.RemoveContainer(dc.RemoveContainerOptions{ID: c.ID, Force: true, RemoveVolumes: true})
	}
}

// adminDSN is the PostgreSQL server on which each test creates its own database.
func adminDSN() string {
	if v := os.Getenv("PLENARY_TEST_POSTGRES"); v != "" && v != "off" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

func pingPostgres() error {
	a, err := sql.Open("pgx", adminDSN())
	if err != nil {
		return err
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.PingContext(ctx); err != nil {
		return fmt.Errorf("the container suite needs PostgreSQL at %s (PLENARY_TEST_POSTGRES): %w", adminDSN(), err)
	}
	return nil
}

// containerLogs returns the last lines a container wrote, for a failing test's report.
func containerLogs(r *dockertest.Resource, tail string) string {
	if r == nil {
		return ""
	}
	var buf bytes.Buffer
	err := pool.Client.Logs(dc.LogsOptions{
		Container: r.Container.ID, OutputStream: &buf, ErrorStream: &buf,
		Stdout: true, Stderr: true, Tail: tail,
	})
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Sprintf("(logs: %v)", err)
	}
	return buf.String()
}

// containerStdout returns what a container wrote to its standard output only.
func containerStdout(r *dockertest.Resource) string {
	var out bytes.Buffer
	if err := pool.Client.Logs(dc.LogsOptions{Container: r.Container.ID, OutputStream: &out, ErrorStream: io.Discard, Stdout: true}); err != nil {
		return ""
	}
	return out.String()
}
