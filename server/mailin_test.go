package main

import (
	"context"
	"errors"
	"net/smtp"
	"net/textproto"
	"testing"
)

func TestBadReplyByEmailFlagsStopTheServer(t *testing.T) {
	for _, args := range [][]string{
		{"-smtp-in", "127.0.0.1:0"}, // no -reply-domain
		{"-smtp-in", "127.0.0.1:0", "-reply-domain", "a@b.example"},
		{"-smtp-in", "127.0.0.1:0", "-reply-domain", "reply.example", "-smtp-in-max-mb", "0"},
		{"-smtp-in", "127.0.0.1:0", "-reply-domain", "reply.example", "-smtp-in-from", "mail.example"},
	} {
		if err := run(context.Background(), append([]string{"-memory", "-addr", freeAddr(t)}, args...)); err == nil {
			t.Errorf("%v: the server started", args)
		}
	}
}

func TestSMTPInFlag(t *testing.T) {
	in := freeAddr(t)
	_, stop := start(t, "-memory", "-smtp-in", in, "-reply-domain", "reply.example", "-smtp-in-from", "127.0.0.1")
	defer stop()
	c, err := smtp.Dial(in)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mta.example"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("someone@example.com"); err != nil {
		t.Fatal(err)
	}
	err = c.Rcpt("reply+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@reply.example")
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 550 {
		t.Fatalf("RCPT of an unknown reply address: %v, want 550", err)
	}
	c.Quit()
}
