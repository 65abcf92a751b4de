package main

import (
	"io"
	"testing"

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
