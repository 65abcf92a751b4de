package mail_test

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/notifier/mail"
)

// scriptedServer is an SMTP server that offers PIPELINING or not and, when it does,
// reads MAIL, RCPT and DATA before it answers any of them: a client that waits for each
// reply never gets one. It records the commands and the data of each message, and
// refuses the RCPT of refuse.
type scriptedServer struct {
	ln       net.Listener
	commands chan string
	data     chan []byte
}

func startScripted(t *testing.T, pipelining bool, refuse string) *scriptedServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scriptedServer{ln: ln, commands: make(chan string, 100), data: make(chan []byte, 10)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c, pipelining, refuse)
		}
	}()
	return s
}

func (s *scriptedServer) serve(c net.Conn, pipelining bool, refuse string) {
	defer c.Close()
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	reply := func(lines ...string) {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		w.Flush()
	}
	line := func() (string, bool) {
		l, err := r.ReadString('\n')
		l = strings.TrimRight(l, "\r\n")
		if err == nil {
			s.commands <- l
		}
		return l, err == nil
	}
	reply("220 scripted ESMTP")
	caps := []string{"250-scripted", "250-8BITMIME", "250 ENHANCEDSTATUSCODES"}
	if pipelining {
		caps = []string{"250-scripted", "250-PIPELINING", "250-8BITMIME", "250 ENHANCEDSTATUSCODES"}
	}
	for {
		l, ok := line()
		if !ok {
			return
		}
		switch cmd := strings.ToUpper(strings.Fields(l + " x")[0]); {
		case cmd == "EHLO":
			reply(caps...)
		case cmd == "MAIL" && pipelining:
			rcpt, _ := line()
			data, _ := line()
			answers := []string{"250 2.0.0 ok"}
			refused := strings.Contains(rcpt, refuse) && refuse != ""
			if refused {
				answers = append(answers, "550 5.1.1 no such user", "554 5.5.1 no valid recipients")
			} else {
				answers = append(answers, "250 2.0.0 ok", "354 go ahead")
			}
			if !strings.HasPrefix(data, "DATA") {
				answers = []string{"503 5.5.1 out of order"}
			}
			reply(answers...)
			if !refused {
				s.readData(r, reply)
			}
		case cmd == "MAIL" || cmd == "RSET" || cmd == "NOOP":
			reply("250 2.0.0 ok")
		case cmd == "RCPT" && refuse != "" && strings.Contains(l, refuse):
			reply("550 5.1.1 no such user")
		case cmd == "RCPT":
			reply("250 2.0.0 ok")
		case cmd == "DATA":
			reply("354 go ahead")
			s.readData(r, reply)
		case cmd == "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 5.5.2 unknown")
		}
	}
}

func (s *scriptedServer) readData(r *bufio.Reader, reply func(...string)) {
	var b bytes.Buffer
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if l == ".\r\n" {
			break
		}
		b.WriteString(strings.TrimPrefix(l, "."))
	}
	s.data <- b.Bytes()
	reply("250 2.0.0 queued")
}

// With a server that offers PIPELINING, MAIL, RCPT and DATA go out together (the
// server answers none before it has all three), and without it one at a time (the
// server answers each); both deliver the same message, and a refused recipient is a
// permanent failure that leaves the connection usable for the next message.
func TestPipeliningWhenOffered(t *testing.T) {
	for _, pipelining := range []bool{true, false} {
		srv := startScripted(t, pipelining, "nobody@")
		addr := srv.ln.Addr().(*net.TCPAddr)
		s, err := mail.NewSMTPSender(mail.SMTPConfig{Host: "127.0.0.1", Port: addr.Port, TLS: mail.TLSNone, HELO: "plenary.test",
			Timeout: 2 * time.Second, Attempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		m := sample()
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("pipelining %v: %v", pipelining, err)
		}
		want, err := m.Bytes(fixedDate)
		if err != nil {
			t.Fatal(err)
		}
		got := <-srv.data
		// Same message but for its random boundary: compare the parts as a reader does.
		_, gotParts := parse(t, got)
		_, wantParts := parse(t, want)
		if len(gotParts) != len(wantParts) || len(gotParts) == 0 {
			t.Fatalf("pipelining %v: %d parts, want %d", pipelining, len(gotParts), len(wantParts))
		}
		for i := range gotParts {
			if !bytes.Equal(gotParts[i].body, wantParts[i].body) {
				t.Errorf("pipelining %v: part %d differs", pipelining, i)
			}
		}
		bad := sample()
		bad.To.Email = "nobody@example.org"
		if err := s.Send(context.Background(), bad); err == nil || mail.IsTemporary(err) {
			t.Errorf("pipelining %v: refused recipient: %v, want a permanent failure", pipelining, err)
		}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("pipelining %v: after a refusal: %v", pipelining, err)
		}
		<-srv.data
		s.Close()
		var cmds []string
		for len(srv.commands) > 0 {
			cmds = append(cmds, strings.Fields(<-srv.commands)[0])
		}
		// Pipelined, DATA follows the refused RCPT (and is refused); one at a time, it is
		// not sent.
		wantCmds := "EHLO MAIL RCPT DATA MAIL RCPT RSET MAIL RCPT DATA QUIT"
		if pipelining {
			wantCmds = "EHLO MAIL RCPT DATA MAIL RCPT DATA RSET MAIL RCPT DATA QUIT"
		}
		if got := strings.Join(cmds, " "); got != wantCmds {
			t.Errorf("pipelining %v: commands %s, want %s", pipelining, got, wantCmds)
		}
	}
}
