package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/services/platform/natsx"
)

// The API and the notifier read the stream's replica count from the same setting, so
// neither rewrites the stream the other created; out-of-range counts are refused.
func TestStreamReplicasSetting(t *testing.T) {
	for _, cmd := range []string{"api", "notifier"} {
		c, err := parseConfig(cmd, []string{"--database-url", "postgres://x", "--stream-replicas", "3"}, io.Discard)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		if got := natsx.StreamConfig(c.streamOptions()...).Replicas; got != 3 {
			t.Fatalf("%s: stream replicas %d", cmd, got)
		}
		t.Setenv("PLENARY_STREAM_REPLICAS", "3")
		if c, err = parseConfig(cmd, []string{"--database-url", "postgres://x"}, io.Discard); err != nil || natsx.StreamConfig(c.streamOptions()...).Replicas != 3 {
			t.Fatalf("%s from the environment: %+v %v", cmd, c.StreamReplicas, err)
		}
		t.Setenv("PLENARY_STREAM_REPLICAS", "1")
		if c, err = parseConfig(cmd, []string{"--database-url", "postgres://x"}, io.Discard); err != nil || natsx.StreamConfig(c.streamOptions()...).Replicas != 1 {
			t.Fatalf("%s default: %+v %v", cmd, c.StreamReplicas, err)
		}
		for _, bad := range []string{"0", "6", "-1"} {
			if _, err := parseConfig(cmd, []string{"--database-url", "postgres://x", "--stream-replicas", bad}, io.Discard); err == nil {
				t.Fatalf("%s accepted --stream-replicas %s", cmd, bad)
			}
		}
	}
	if _, err := parseConfig("serve", []string{"--stream-replicas", "3"}, io.Discard); err == nil {
		t.Fatal("serve runs its own single server: it has no replica setting")
	}
}

// Without --public-url, links name the address listened on: a wildcard host is loopback
// for the reader on this machine; the notifier, which listens on nothing, names --addr.
func TestBaseURLOf(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:9090":      "http://127.0.0.1:9090",
		"0.0.0.0:8081":        "http://127.0.0.1:8081",
		":8082":               "http://127.0.0.1:8082",
		"[::]:8083":           "http://127.0.0.1:8083",
		"[::1]:8084":          "http://[::1]:8084",
		"plenary.internal:80": "http://plenary.internal:80",
	} {
		if got := baseURLOf(addr); got != want {
			t.Errorf("baseURLOf(%q) = %q, want %q", addr, got, want)
		}
	}
	c, err := parseConfig("notifier", []string{"--addr", "10.0.0.5:9000", "--database-url", "sqlite:x", "--link-keys", "k1:" + strings.Repeat("ab", 32)}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	l, err := linker(c, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.Manage("r1", time.Now()), "http://10.0.0.5:9000/") {
		t.Errorf("notifier links: %s", l.Manage("r1", time.Now()))
	}
}
