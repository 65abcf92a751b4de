package zone

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestTZDataMatchesToolchain checks the embedded copy against the toolchain's
// lib/time/zoneinfo.zip (what time/tzdata embeds) when the toolchain ships it. When the
// toolchain's copy is newer, refresh tzdata/zoneinfo.zip and tzdata/VERSION from
// $(go env GOROOT)/lib/time (VERSION is DATA= in update.bash).
func TestTZDataMatchesToolchain(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("no go command to find the toolchain: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time")
	zip, err := os.ReadFile(filepath.Join(dir, "zoneinfo.zip"))
	if err != nil {
		t.Skipf("the toolchain ships no lib/time/zoneinfo.zip: %v", err)
	}
	script, err := os.ReadFile(filepath.Join(dir, "update.bash"))
	if err != nil {
		t.Skipf("the toolchain ships no lib/time/update.bash: %v", err)
	}
	m := regexp.MustCompile(`(?m)^DATA=(\S+)`).FindSubmatch(script)
	if m == nil {
		t.Fatalf("no DATA= line in %s/update.bash", dir)
	}
	if !bytes.Equal(zip, zoneinfoZip) {
		t.Fatalf("the embedded tz database differs from the toolchain's (%s, tzdata %s; embedded %s): refresh tzdata/", runtime.Version(), m[1], TZDataVersion())
	}
	if string(m[1]) != TZDataVersion() {
		t.Fatalf("tzdata/VERSION says %s, the toolchain's zoneinfo.zip is %s", TZDataVersion(), m[1])
	}
}

// The embedded database, not the host's, decides: Plenary gives the same answer on every
// machine. Compare with the toolchain's time/tzdata for a zone that exists in both.
func TestLoadLocationIsEmbedded(t *testing.T) {
	loc, err := LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Fatal(err)
	}
	if loc.String() != "America/Sao_Paulo" {
		t.Errorf("name %q", loc)
	}
	// Brazil ended DST in 2019; both readings of the rules must agree on that.
	if _, off := time.Date(2019, 12, 1, 12, 0, 0, 0, time.UTC).In(loc).Zone(); off != -3*3600 {
		t.Errorf("Sao Paulo offset in Dec 2019 = %d", off)
	}
	if _, err := LoadLocation("Nowhere/City"); code(err) != CodeUnknownZone {
		t.Errorf("unknown zone: %v", err)
	}
}
