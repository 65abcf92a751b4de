package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	netmail "net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// FolderSender writes each message as an .eml file into Dir: the mail of `plenary serve`
// and of development, shown by the local /dev/mail page. The file name is derived from
// the Message-ID, so sending the same message again replaces its file.
type FolderSender struct {
	Dir string
	Now func() time.Time // clock for messages without a Date; time.Now when nil
}

// FileName is the .eml file name of a message id: a digest, so that no id can name a
// path outside the folder.
func FileName(messageID string) string {
	sum := sha256.Sum256([]byte(messageID))
	return hex.EncodeToString(sum[:16]) + ".eml"
}

// Send writes m to Dir atomically: a temporary file in the same directory, synced, then
// renamed over the final name, so a reader never sees half a message.
func (f FolderSender) Send(ctx context.Context, m Message) error {
	return f.SendGated(ctx, m, nil)
}

// SendGated is Send with the rename, the instant the message is in the folder, passed
// through g; on a nil error g is held (see GatedSender).
func (f FolderSender) SendGated(ctx context.Context, m Message, g *Gate) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	b, err := m.Bytes(now())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.Dir, 0o750); err != nil {
		return fmt.Errorf("mail folder: %w", err)
	}
	tmp, err := os.CreateTemp(f.Dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("mail folder: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	final := filepath.Join(f.Dir, FileName(m.MessageID))
	if err := g.Enter(ctx); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		g.Leave()
		return fmt.Errorf("mail folder: %w", err)
	}
	return nil
}

// Summary describes one stored message for a listing.
type Summary struct {
	Name      string // file name, for Read
	Date      time.Time
	From      string
	To        string
	Subject   string // decoded
	MessageID string
	Size      int64
}

// List returns the messages in dir, newest first. A missing dir is an empty folder.
func List(dir string) ([]Summary, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list mail folder: %w", err)
	}
	var out []Summary
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".eml") || strings.HasPrefix(name, ".") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue // replaced or removed meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		s := Summary{Name: name, Size: int64(len(b))}
		if msg, err := netmail.ReadMessage(bytes.NewReader(b)); err == nil {
			dec := new(mimeWordDecoder)
			s.From = dec.decode(msg.Header.Get("From"))
			s.To = dec.decode(msg.Header.Get("To"))
			s.Subject = dec.decode(msg.Header.Get("Subject"))
			s.MessageID = msg.Header.Get("Message-Id")
			s.Date, _ = msg.Header.Date()
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.After(out[j].Date)
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Read returns the raw message stored under name (as List gives it). Names that are not
// plain .eml file names of the folder are refused.
func Read(dir, name string) ([]byte, error) {
	if name != filepath.Base(name) || !strings.HasSuffix(name, ".eml") || strings.HasPrefix(name, ".") ||
		strings.ContainsAny(name, `/\`) {
		return nil, fmt.Errorf("read mail: invalid name %q: %w", name, fs.ErrNotExist)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("read mail %s: %w", name, err)
	}
	return b, nil
}
