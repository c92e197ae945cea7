package mailin_test

import (
	"strings"
	"testing"

	"github.com/supportal/supportal/server/mailin"
)

func TestStripQuoted(t *testing.T) {
	const addr = "Supportal <reply+abcdefghijklmnopqrstuvwxyz234567@reply.example.com>"
	for _, c := range []struct {
		name, in, want string
	}{
		{"plain, nothing quoted", "Danke, das hat geholfen.\n", "Danke, das hat geholfen."},
		{"en Gmail", "Thanks, that worked.\n\nOn Mon, 3 Nov 2026 at 10:12, " + addr + " wrote:\n> Please try again.\n> \n> Sam\n",
			"Thanks, that worked."},
		{"en Gmail, attribution wrapped", "Thanks!\n\nOn Mon, 3 Nov 2026 at 10:12, Supportal <\nreply+abc@reply.example.com> wrote:\n\n> Please try again.\n",
			"Thanks!"},
		{"en Apple Mail", "Works now.\n\nBest,\nAnna\n\n> On 3 Nov 2026, at 10:12, " + addr + " wrote:\n> \n> Please try again.\n",
			"Works now.\n\nBest,\nAnna"},
		{"en Outlook", "Here is the file.\n\n________________________________\nFrom: Supportal <support@example.com>\nSent: Monday, November 3, 2026 10:12 AM\nTo: Anna Admin <anna@example.com>\nSubject: Ticket #10005\n\nPlease send the file.\n",
			"Here is the file."},
		{"en Outlook, Original Message", "See attached.\n\n-----Original Message-----\nFrom: Supportal\nSent: Monday\n\nPlease send the file.\n",
			"See attached."},
		{"de Gmail", "Vielen Dank, es funktioniert wieder.\n\nAm Mo., 3. Nov. 2026 um 10:12 Uhr schrieb Supportal <\nreply+abc@reply.example.com>:\n\n> Bitte versuchen Sie es erneut.\n",
			"Vielen Dank, es funktioniert wieder."},
		{"de Apple Mail", "Erledigt.\n\n> Am 03.11.2026 um 10:12 schrieb Supportal <reply+abc@reply.example.com>:\n> \n> Bitte versuchen Sie es erneut.\n",
			"Erledigt."},
		{"de Thunderbird", "Passt.\n\nAm 03.11.26 um 10:12 schrieb Supportal:\n> Bitte versuchen Sie es erneut.\n", "Passt."},
		{"de Outlook", "Anbei die Rechnung.\n\n-------- Ursprüngliche Nachricht --------\nVon: Supportal <support@example.com>\nDatum: 03.11.26 10:12\nAn: Anna\nBetreff: Ticket #10005\n\nBitte senden Sie die Rechnung.\n",
			"Anbei die Rechnung."},
		{"de Outlook header block", "Anbei die Rechnung.\n\nVon: Supportal <support@example.com>\nGesendet: Montag, 3. November 2026 10:12\nAn: Anna Admin\nBetreff: Ticket #10005\n\nBitte senden Sie die Rechnung.\n",
			"Anbei die Rechnung."},
		{"fr Gmail (narrow no-break space)", "Merci, c’est réglé.\n\nLe lun. 3 nov. 2026 à 10:12, Supportal <reply+abc@reply.example.com> a\u202fécrit\u202f:\n\n> Veuillez réessayer.\n",
			"Merci, c’est réglé."},
		{"fr Apple Mail", "C’est bon.\n\n> Le 3 nov. 2026 à 10:12, Supportal <reply+abc@reply.example.com> a écrit :\n> \n> Veuillez réessayer.\n",
			"C’est bon."},
		{"fr Outlook", "Voici le fichier.\n\nDe : Supportal <support@example.com>\nEnvoyé : lundi 3 novembre 2026 10:12\nÀ : Anna\nObjet : Demande #10005\n\nVeuillez envoyer le fichier.\n",
			"Voici le fichier."},
		{"es Gmail", "Gracias, ya funciona.\n\nEl lun, 3 nov 2026 a las 10:12, Supportal (<reply+abc@reply.example.com>) escribió:\n\n> Por favor, inténtelo de nuevo.\n",
			"Gracias, ya funciona."},
		{"es Outlook", "Adjunto el archivo.\n\n-----Mensaje original-----\nDe: Supportal\nEnviado el: lunes\n\nEnvíe el archivo.\n",
			"Adjunto el archivo."},
		{"es Outlook header block", "Adjunto el archivo.\n\nDe: Supportal <support@example.com>\nEnviado: lunes, 3 de noviembre de 2026 10:12\nPara: Diego\nAsunto: Ticket #10005\n\nEnvíe el archivo.\n",
			"Adjunto el archivo."},
		{"signature", "Danke!\n\n-- \nAnna Admin\nPraxis Sonnenschein\n", "Danke!"},
		{"interleaved quotes", "> Which version?\n4.2.1\n> Since when?\nSince Monday.\n", "4.2.1\nSince Monday."},
		{"CRLF", "Thanks.\r\n\r\nOn Mon, 3 Nov 2026, Sam wrote:\r\n> Hi\r\n", "Thanks."},
		{"only history", "On Mon, 3 Nov 2026, Sam wrote:\n> Hi\n", ""},
		{"a From: line alone stays", "From: my colleague, the error is gone.\nThanks.", "From: my colleague, the error is gone.\nThanks."},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := mailin.StripQuoted(c.in); got != c.want {
				t.Errorf("StripQuoted =\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	crlf := func(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }
	for _, c := range []struct {
		name     string
		raw      []byte
		wantText string // after StripQuoted
		wantFrom string
		files    []string // name:content-type
		auto     bool
	}{
		{
			name: "quoted-printable utf-8",
			raw: crlf(`From: Anna Admin <anna@example.com>
To: reply+abc@reply.example.com
Subject: Re: Ticket
Message-ID: <1@example.com>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Gr=C3=BC=C3=9Fe, das Problem ist gel=C3=B6st. Eine sehr lange Zeile, die mit =
einem weichen Umbruch weitergeht.

Am 03.11.2026 um 10:12 schrieb Supportal <reply+abc@reply.example.com>:
> Bitte pr=C3=BCfen.
`),
			wantText: "Grüße, das Problem ist gelöst. Eine sehr lange Zeile, die mit einem weichen Umbruch weitergeht.",
			wantFrom: "anna@example.com",
		},
		{
			name: "base64 body",
			raw: crlf(`From: diego@example.com
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: base64

` + "R3JhY2lhcywgeWEgZnVuY2lvbmEuCgpFbCBsdW4sIDMgbm92IDIwMjYsIFNhbSBlc2NyaWJp\nw7M6Cj4gSG9sYQo=" + `
`),
			wantText: "Gracias, ya funciona.",
			wantFrom: "diego@example.com",
		},
		{
			name: "iso-8859-1, encoded-word name",
			raw: append(crlf("From: =?iso-8859-1?q?J=FCrgen_M=FCller?= <jm@example.com>\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"),
				[]byte("Gr\xfc\xdfe aus K\xf6ln, \xe7a marche.\r\n")...),
			wantText: "Grüße aus Köln, ça marche.",
			wantFrom: "jm@example.com",
		},
		{
			name: "windows-1252 quoted-printable",
			raw: crlf(`From: a@example.com
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

It=92s fixed =96 thanks =80.
`),
			wantText: "It’s fixed – thanks €.",
			wantFrom: "a@example.com",
		},
		{
			name: "HTML only (Gmail)",
			raw: crlf(`From: anna@example.com
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Danke &amp; Gr=C3=BC=C3=9Fe!<br><br>Zeile&nbsp;zwei</div><br><div class=3D"gmail_q=
uote"><div dir=3D"ltr" class=3D"gmail_attr">Am Mo., 3. Nov. 2026 um 10:12&nbsp;Uhr schrieb Supportal &=
lt;<a href=3D"mailto:reply+abc@reply.example.com">reply+abc@reply.example.com</a>&gt;:<br></div><blockquote class=3D"gmail_quote">Bitte pr=C3=BCfen.<br></blockquote></div>
<style>p{color:red}</style><script>alert(1)</script>
`),
			wantText: "Danke & Grüße!\n\nZeile zwei",
			wantFrom: "anna@example.com",
		},
		{
			name: "HTML only (Outlook)",
			raw: crlf(`From: anna@example.com
Content-Type: text/html; charset=utf-8

<html><head><title>x</title></head><body><p>Anbei die Datei.</p><div id="divRplyFwdMsg"><hr><b>Von:</b> Supportal &lt;support@example.com&gt;<br><b>Gesendet:</b> Montag<br><b>Betreff:</b> Ticket</div><p>Alt.</p></body></html>
`),
			wantText: "Anbei die Datei.",
			wantFrom: "anna@example.com",
		},
		{
			name: "alternative: text/plain preferred, attachment kept, inline logo without name dropped",
			raw: crlf(`From: Anna <anna@example.com>
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8; format=flowed

Das ist eine lange Zeile, die das Mailprogramm 
umbrochen hat.

--alt
Content-Type: text/html; charset=utf-8

<p>HTML version</p>
--alt--

--outer
Content-Type: application/pdf; name="befund.pdf"
Content-Disposition: attachment; filename="befund.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCg==
--outer
Content-Type: image/png
Content-Disposition: inline
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--outer
Content-Type: image/png; name="=?utf-8?q?Bildschirmfoto_=C3=BC.png?="
Content-Disposition: inline
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--outer--
`),
			wantText: "Das ist eine lange Zeile, die das Mailprogramm umbrochen hat.",
			wantFrom: "anna@example.com",
			files:    []string{"befund.pdf:application/pdf", "Bildschirmfoto ü.png:image/png"},
		},
		{
			name:     "auto-reply",
			raw:      crlf("From: anna@example.com\nAuto-Submitted: auto-replied\nSubject: Out of office\n\nI am away.\n"),
			wantText: "I am away.", wantFrom: "anna@example.com", auto: true,
		},
		{
			name:     "Auto-Submitted: no is a person",
			raw:      crlf("From: anna@example.com\nAuto-Submitted: no\n\nHello.\n"),
			wantText: "Hello.", wantFrom: "anna@example.com",
		},
		{
			name: "delivery report",
			raw: crlf(`From: MAILER-DAEMON@example.com
Content-Type: multipart/report; report-type=delivery-status; boundary="r"

--r
Content-Type: text/plain

Delivery failed.
--r--
`),
			wantText: "Delivery failed.", wantFrom: "mailer-daemon@example.com", auto: true,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := mailin.Parse(c.raw)
			if err != nil {
				t.Fatal(err)
			}
			if got := mailin.StripQuoted(m.Text); got != c.wantText {
				t.Errorf("text =\n%q\nwant\n%q", got, c.wantText)
			}
			if len(m.From) != 1 || !strings.EqualFold(m.From[0].Address, c.wantFrom) {
				t.Errorf("From = %v, want %s", m.From, c.wantFrom)
			}
			var files []string
			for _, f := range m.Files {
				files = append(files, f.Name+":"+f.ContentType)
			}
			if got, want := strings.Join(files, ","), strings.Join(c.files, ","); got != want {
				t.Errorf("files = %s, want %s", got, want)
			}
			if m.Auto != c.auto {
				t.Errorf("Auto = %v, want %v", m.Auto, c.auto)
			}
		})
	}
}

func TestParseRefusesNoMessage(t *testing.T) {
	for _, raw := range []string{"", "no header at all", "From: <<<\r\n\r\nx"} {
		if _, err := mailin.Parse([]byte(raw)); err == nil {
			t.Errorf("Parse(%q) succeeded", raw)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<p>Hi</p>\r\n--x--\r\n"))
	f.Add([]byte("From: a@example.com\r\n\r\nOn Mon, Sam wrote:\r\n> hi\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := mailin.Parse(raw)
		if err != nil {
			return
		}
		_ = mailin.StripQuoted(m.Text)
	})
}
