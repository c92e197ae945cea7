// Command supportal serves the supportal customer-support portal: the
// browser app, the JSON API and the embedded database.
//
//	supportal [-addr 127.0.0.1:8080] [-data ./data | -memory | -db postgres://… [-files DIR]] [-demo] [-hosts hosts.json] [-demo-host 127.0.0.1:8081]
//	          [-public-url https://support.example.com] [-trusted-proxies 10.0.0.0/8,…]
//	          [-smtp host:port -mail-from 'Supportal <support@example.com>' [-smtp-user U -smtp-password-file F] [-smtp-tls starttls|tls|none]]
//	          [-smtp-in 127.0.0.1:2525 -reply-domain reply.support.example.com [-smtp-in-max-mb 25] [-smtp-in-from 10.0.0.5/32,…]]
//	supportal migrate [-data DIR | -db URL]
//	supportal export [-data DIR | -db URL] [-o FILE]
//	supportal import FILE [-data DIR | -db URL]
//	supportal integration add NAME -org ACCOUNT[,ACCOUNT…] [-data DIR | -db URL]
//	supportal integration revoke NAME [-data DIR | -db URL]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	netmail "net/mail"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/supportal/supportal/app/ticket"
	"github.com/supportal/supportal/server/addrs"
	"github.com/supportal/supportal/server/api"
	"github.com/supportal/supportal/server/demohost"
	"github.com/supportal/supportal/server/embed"
	"github.com/supportal/supportal/server/files"
	"github.com/supportal/supportal/server/live"
	"github.com/supportal/supportal/server/mail"
	"github.com/supportal/supportal/server/mailin"
	"github.com/supportal/supportal/server/seed"
	"github.com/supportal/supportal/server/site"
	"github.com/supportal/supportal/server/store"
	"github.com/supportal/supportal/web"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "supportal:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "integration" {
		return runIntegration(ctx, args[1:], os.Stdout)
	}
	if len(args) > 0 {
		switch args[0] {
		case "migrate":
			return runMigrate(ctx, args[1:], os.Stdout)
		case "export":
			return runExport(ctx, args[1:], os.Stdout, os.Stderr)
		case "import":
			return runImport(ctx, args[1:], os.Stdout)
		}
	}
	fs := flag.NewFlagSet("supportal", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dataDir := fs.String("data", "data", "directory of the database file (supportal.db)")
	memory := fs.Bool("memory", false, "keep everything in memory; nothing is written to disk")
	dbURL := fs.String("db", "", "PostgreSQL database of several nodes, postgres://USER@HOST:5432/DB (or set SUPPORTAL_DB, which keeps a password off the command line); default: the SQLite file in -data (README: Running several nodes)")
	dbConns := fs.Int("db-conns", 10, "with -db: most connections this node opens to PostgreSQL, besides the one it listens on (all nodes together must stay below the server's max_connections)")
	filesDir := fs.String("files", "", "directory of the attachments; with -db, one directory every node mounts (default: attachments in -data)")
	demo := fs.Bool("demo", false, "load the demo organizations, users and tickets into an empty store")
	catalogFile := fs.String("catalog", "", "JSON file replacing the built-in ticket catalog")
	hostsFile := fs.String("hosts", "", "JSON file of the portals that may show this one in a frame and sign their users in (README: Embedding supportal in your portal)")
	demoHostAddr := fs.String("demo-host", "", "serve the demo practice portal, a host that embeds this one, on ADDR, e.g. 127.0.0.1:8081 (make run sets it)")
	livePerUser := fs.Int("live-per-user", 20, "most live-update websockets one user may have open (load tests raise it)")
	maxFileMB := fs.Int("max-file-mb", ticket.DefaultMaxFileBytes>>20, "largest file that may be uploaded, in MB")
	maxFiles := fs.Int("max-files", ticket.DefaultMaxFiles, "most files attached to one ticket or message")
	publicURL := fs.String("public-url", "", "address users reach the portal at, e.g. https://support.example.com: only its host is answered; https makes cookies Secure and sends HSTS (default: none; localhost and IP addresses are answered)")
	trustedProxies := fs.String("trusted-proxies", "", "comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, e.g. 127.0.0.1,10.0.0.0/8 (default: none)")
	uploadQuotaMB := fs.Int("upload-quota-mb", 200, "most MB of files one user may have uploaded but not attached yet (-1: no quota)")
	uploadsPerUser := fs.Int("uploads-per-user", 4, "most uploads of one user in progress at once")
	uploadsTotal := fs.Int("uploads-total", 64, "most uploads of all users in progress at once")
	uploadRate := fs.Int("upload-rate", 60, "most uploads one user may start in 10 minutes (-1: no limit)")
	streamOpens := fs.Int("live-opens", 30, "most live-update websockets one user may open in a minute (-1: no limit; load tests raise it)")
	catchUpEvents := fs.Int64("catch-up-events", 10000, "a browser further behind than this many events reloads instead of catching up (-1: no bound)")
	catchUpAge := fs.Duration("catch-up-age", 7*24*time.Hour, "a browser whose first missed event is older than this reloads instead of catching up (-1ns: no bound)")
	smtpAddr := fs.String("smtp", "", "mail server that sends the portal's mails, host:port, e.g. mail.example.com:587 (default: none; mails are kept in the database, and with -demo agents read them at /api/v1/admin/mail)")
	smtpUser := fs.String("smtp-user", "", "username for SMTP AUTH at the -smtp server (default: no AUTH)")
	smtpPasswordFile := fs.String("smtp-password-file", "", "file holding the -smtp-user's password (or set SUPPORTAL_SMTP_PASSWORD)")
	smtpTLS := fs.String("smtp-tls", "starttls", "how the connection to -smtp is protected: starttls (required), tls (implicit, port 465) or none (a relay on this host)")
	mailFrom := fs.String("mail-from", "", "sender of the portal's mails, e.g. 'Supportal <support@example.com>' (needed with -smtp)")
	notifyWindow := fs.Duration("notify-window", 2*time.Minute, "replies to one ticket within this time make one notification mail")
	smtpIn := fs.String("smtp-in", "", "listen for replies by email on ADDR, e.g. 127.0.0.1:2525: SMTP without AUTH or TLS, to be fed by the site's mail server, never exposed to the internet (README: Reply by email; needs -reply-domain)")
	smtpInMaxMB := fs.Int("smtp-in-max-mb", 25, "largest mail -smtp-in accepts, attachments and all, in MB")
	smtpInFrom := fs.String("smtp-in-from", "", "comma-separated addresses or CIDR prefixes of the mail servers that may connect to -smtp-in, e.g. 127.0.0.1,10.0.0.5 (default: any)")
	replyDomain := fs.String("reply-domain", "", "domain of the reply addresses notifications carry as Reply-To (reply+TOKEN@DOMAIN), e.g. reply.support.example.com; its mail must reach -smtp-in")
	drainWait := fs.Duration("drain-wait", 0, "after SIGTERM, answer /readyz with 503 for this long before closing, so that a load balancer sends new requests to the other nodes first, e.g. 10s (default: close at once)")
	debugAddr := fs.String("debug-addr", "", "address of the Go profiler (net/http/pprof), e.g. 127.0.0.1:6060; keep it private (default: off)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *maxFileMB < 1 || *maxFiles < 1 {
		return errors.New("-max-file-mb and -max-files must be at least 1")
	}
	var public *url.URL
	if *publicURL != "" {
		u, err := api.ParsePublicURL(*publicURL)
		if err != nil {
			return fmt.Errorf("-public-url: %w", err)
		}
		public = u
	}
	// 0.0.0.0/0 would believe every client's X-Forwarded-For: anyone could
	// choose the address their logins are counted by.
	proxies, err := addrs.Parse(*trustedProxies, 8)
	if err != nil {
		return fmt.Errorf("-trusted-proxies: %w", err)
	}
	if *uploadsPerUser < 1 || *uploadsTotal < 1 || *uploadQuotaMB == 0 || *uploadRate == 0 || *streamOpens == 0 || *catchUpEvents == 0 || *catchUpAge == 0 {
		return errors.New("-uploads-per-user and -uploads-total must be at least 1; -upload-quota-mb, -upload-rate, -live-opens, -catch-up-events and -catch-up-age must not be 0 (negative: no limit)")
	}
	quota := int64(*uploadQuotaMB) << 20
	if *uploadQuotaMB < 0 {
		quota = -1
	}
	if *smtpIn != "" && *replyDomain == "" {
		return errors.New("-smtp-in needs -reply-domain, e.g. -reply-domain reply.support.example.com")
	}
	if strings.ContainsAny(*replyDomain, "@<>\"()[],;:\\ \t\r\n") {
		return fmt.Errorf("-reply-domain: %q is no mail domain", *replyDomain)
	}
	if *smtpInMaxMB < 1 {
		return errors.New("-smtp-in-max-mb must be at least 1")
	}
	smtpInAllow, err := addrs.Parse(*smtpInFrom, 0)
	if err != nil {
		return fmt.Errorf("-smtp-in-from: %w", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	sender, err := smtpSender(*smtpAddr, *smtpUser, *smtpPasswordFile, *smtpTLS, *mailFrom)
	if err != nil {
		return err
	}

	catalog := ticket.DefaultCatalog
	if *catalogFile != "" {
		f, err := os.Open(*catalogFile)
		if err != nil {
			return err
		}
		catalog, err = ticket.ReadCatalog(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *catalogFile, err)
		}
	}

	hosts := &embed.Hosts{}
	if *hostsFile != "" {
		f, err := os.Open(*hostsFile)
		if err != nil {
			return err
		}
		hosts, err = embed.Read(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *hostsFile, err)
		}
	}

	// The portal listens before it is built: the demo practice portal
	// needs its address, and the portal must know the demo's key and
	// origin from the start.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	host := ln.Addr().String()
	if strings.HasPrefix(host, "[::]") || strings.HasPrefix(host, "0.0.0.0") {
		host = "localhost" + host[strings.LastIndex(host, ":"):]
	}
	serving := "http://" + host
	if public != nil {
		serving = public.String()
	}
	var demoSrv *http.Server
	var demoLn net.Listener
	if *demoHostAddr != "" {
		demoLn, err = net.Listen("tcp", *demoHostAddr)
		if err != nil {
			return fmt.Errorf("-demo-host: %w", err)
		}
		defer demoLn.Close()
		portalURL, demoOrigin := demoURLs(ln.Addr(), demoLn.Addr())
		if public != nil {
			portalURL = public.String()
		}
		d, err := demohost.New(portalURL, demoOrigin)
		if err != nil {
			return fmt.Errorf("-demo-host: %w", err)
		}
		if err := hosts.Add(d.Host); err != nil {
			return fmt.Errorf("-demo-host: %w", err)
		}
		demoSrv = &http.Server{Handler: d.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
			IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		log.Info("demo practice portal", "url", demoOrigin, "embeds", portalURL)
	}

	db, err := openStore(ctx, databaseURL(*dbURL), *dataDir, *memory, store.PostgresOptions{Log: log, Conns: *dbConns})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetMailDomain(mailDomain(*mailFrom, public)); err != nil {
		log.Warn("Message-IDs end with @supportal", "err", err)
	}

	if *demo {
		hash, err := api.HashPassword(seed.Password)
		if err != nil {
			return err
		}
		loaded, err := seed.Load(ctx, db, hash, time.Now())
		if err != nil {
			return fmt.Errorf("loading demo data: %w", err)
		}
		if loaded {
			log.Info("demo data loaded", "password", seed.Password)
		}
	}

	// The live hub runs until shutdown; stopping it closes every websocket
	// (browsers resume from their last event id).
	hubCtx, stopHub := context.WithCancel(context.Background())
	defer stopHub()
	hub := live.NewHub(db, log, *livePerUser)
	go hub.Run(hubCtx)

	var blobs files.Blobs = files.NewMemory()
	if !*memory {
		dir := *filesDir
		if dir == "" {
			dir = filepath.Join(*dataDir, "attachments")
			if databaseURL(*dbURL) != "" {
				log.Warn("attachments are kept in this node's directory: with several nodes, give each the one directory they all mount (-files DIR)", "dir", dir)
			}
		}
		if blobs, err = files.OpenDir(dir); err != nil {
			return fmt.Errorf("-files: %w", err)
		}
	}
	if hosts.Len() > 0 && public == nil {
		log.Warn("host portals are configured without -public-url: a host's token is checked against the address its frame was loaded from; set -public-url so that tokens for another portal (staging, production) are refused")
	}
	apiServer := api.New(db, api.Config{Log: log, Catalog: catalog, Hub: hub, Blobs: blobs,
		MaxFileBytes: int64(*maxFileMB) << 20, MaxFiles: *maxFiles, PublicURL: public, TrustedProxies: proxies,
		UploadQuota: quota, UploadsPerUser: *uploadsPerUser, UploadsTotal: *uploadsTotal, UploadRate: *uploadRate,
		StreamOpens: *streamOpens, CatchUpEvents: *catchUpEvents, CatchUpAge: *catchUpAge, Hosts: hosts,
		MailLog: *demo && sender == nil, LinkBase: serving, ReplyDomain: *replyDomain})
	handler, st, err := site.Portal(apiServer, web.Files)
	if err != nil {
		return err
	}
	// The janitor: uploads never attached are removed after a day,
	// idempotency keys after 30 days (api.KeepKeys), login failures after
	// the throttle's window.
	go func() {
		for {
			if err := apiServer.RemoveStaleUploads(hubCtx); err != nil && hubCtx.Err() == nil {
				log.Error("removing stale uploads", "err", err)
			}
			if err := apiServer.RemoveOldKeys(hubCtx); err != nil && hubCtx.Err() == nil {
				log.Error("removing old idempotency keys", "err", err)
			}
			if err := apiServer.RemoveOldLoginFailures(hubCtx); err != nil && hubCtx.Err() == nil {
				log.Error("removing old login failures", "err", err)
			}
			select {
			case <-hubCtx.Done():
				return
			case <-time.After(time.Hour):
			}
		}
	}()
	// The mail worker sends the outbox until shutdown; without -smtp the
	// mails stay in the database.
	mailDone := make(chan struct{})
	if sender != nil {
		worker := mail.NewWorker(db, sender, mail.WorkerConfig{Log: log})
		db.OnMail(worker.Notify)
		go func() { worker.Run(hubCtx); close(mailDone) }()
		log.Info("mail is sent", "server", sender.String(), "from", sender.From().String())
	} else {
		close(mailDone)
		if *demo {
			log.Info("mail is not sent (no -smtp): mails are kept in the database; agents read them at /api/v1/admin/mail")
		} else {
			log.Warn("mail is not sent (no -smtp): mails are kept in the database until a mail server is configured")
		}
	}
	// The notifier writes the mails of what users are to hear of (replies,
	// confirmations, the queue), bundled per user and ticket.
	notifyDone := make(chan struct{})
	notifyCfg := mail.NotifierConfig{Log: log, LinkBase: serving, Window: *notifyWindow}
	if *replyDomain != "" {
		// Replies by email: each mail about a ticket carries its reader's
		// own reply address for it.
		notifyCfg.ReplyTo = func(ctx context.Context, userID, number int64) (string, error) {
			token, err := db.ReplyToken(ctx, userID, number, time.Now())
			return mail.ReplyAddress(token, *replyDomain), err
		}
	}
	notifier := mail.NewNotifier(db, notifyCfg)
	go func() { notifier.Run(hubCtx); close(notifyDone) }()
	// Replies by email: the listener runs until shutdown.
	var inbound *mailin.Server
	var inboundLn net.Listener
	if *smtpIn != "" {
		inbound, err = mailin.New(db, mailin.Config{Domain: *replyDomain, LinkBase: serving,
			MaxMessageBytes: int64(*smtpInMaxMB) << 20, AllowFrom: smtpInAllow,
			MaxFileBytes: int64(*maxFileMB) << 20, MaxFiles: *maxFiles, Blobs: blobs,
			HoldUploads: apiServer.HoldUploads, Log: log})
		if err != nil {
			return fmt.Errorf("-smtp-in: %w", err)
		}
		if inboundLn, err = net.Listen("tcp", *smtpIn); err != nil {
			return fmt.Errorf("-smtp-in: %w", err)
		}
		defer inboundLn.Close()
		log.Info("replies by email are received", "listen", inboundLn.Addr().String(), "addresses", "reply+TOKEN@"+*replyDomain)
		if len(smtpInAllow) == 0 && !isLoopback(inboundLn.Addr()) {
			log.Warn("-smtp-in listens beyond this host and admits any client: put the site's mail server in front and set -smtp-in-from")
		}
	} else if *replyDomain != "" {
		log.Info("notifications carry reply addresses, but this server does not receive them (no -smtp-in)", "domain", *replyDomain)
	}
	if !st.HasWasm() {
		log.Warn("web/app.wasm was not built into this binary: pages will not start; build with `make build`")
	}
	hl := &health{ready: db.Ready, log: log, next: handler}
	srv := &http.Server{
		Handler:           hl,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("supportal is serving", "url", serving, "listen", ln.Addr().String(), "version", st.Version(), "store", storeName(*dbURL, *dataDir, *memory))
	if *debugAddr != "" {
		dl, err := net.Listen("tcp", *debugAddr)
		if err != nil {
			return err
		}
		defer dl.Close()
		serveProfiler(dl, log)
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 2)
	// net/http's own refusals (431, 400) answer API paths in JSON too.
	go func() { errc <- srv.Serve(api.RefusalListener(ln)) }()
	if demoSrv != nil {
		go func() { errc <- demoSrv.Serve(demoLn) }()
	}
	if inbound != nil {
		go func() { errc <- inbound.Serve(inboundLn) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Drain: not ready any more; after -drain-wait, the websockets close
	// with "reconnect" (browsers resume on another node), no new request
	// is taken and those under way finish.
	log.Info("shutting down")
	// A second signal ends the process at once (also when the signal was
	// ignored before this process began: a node started with & by a script
	// ignores SIGINT).
	again := make(chan os.Signal, 1)
	signal.Notify(again, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-again
		log.Warn("a second signal: stopping at once")
		os.Exit(1)
	}()
	hl.draining.Store(true)
	if *drainWait > 0 {
		log.Info("draining: /readyz answers 503", "for", drainWait.String())
		time.Sleep(*drainWait)
	}
	stopHub()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if demoSrv != nil {
		demoSrv.Shutdown(shutdownCtx)
	}
	if inbound != nil {
		// A reply being added is committed before the store closes.
		if err := inbound.Shutdown(shutdownCtx); err != nil {
			inbound.Close()
		}
	}
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// A mail being sent is recorded, and mails being written are queued,
	// before the store closes.
	for _, done := range []chan struct{}{mailDone, notifyDone} {
		select {
		case <-done:
		case <-shutdownCtx.Done():
		}
	}
	return nil
}

// smtpSender is the mail sender the flags describe; nil without -smtp.
// The password comes from a file (-smtp-password-file) or the environment
// (SUPPORTAL_SMTP_PASSWORD), never from the command line.
func smtpSender(addr, user, passwordFile, policy, from string) (*mail.SMTP, error) {
	if addr == "" {
		if user != "" || passwordFile != "" || from != "" {
			return nil, errors.New("-smtp-user, -smtp-password-file and -mail-from need -smtp")
		}
		return nil, nil
	}
	if from == "" {
		return nil, errors.New("-smtp needs -mail-from, e.g. -mail-from 'Supportal <support@example.com>'")
	}
	tlsPolicy, err := mail.ParseTLSPolicy(policy)
	if err != nil {
		return nil, fmt.Errorf("-smtp-tls: %w", err)
	}
	password := os.Getenv("SUPPORTAL_SMTP_PASSWORD")
	if passwordFile != "" {
		b, err := os.ReadFile(passwordFile)
		if err != nil {
			return nil, fmt.Errorf("-smtp-password-file: %w", err)
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	if user == "" && password != "" {
		return nil, errors.New("an SMTP password without -smtp-user")
	}
	s, err := mail.NewSMTP(mail.SMTPConfig{Addr: addr, Username: user, Password: password, TLS: tlsPolicy, From: from})
	if err != nil {
		return nil, fmt.Errorf("-smtp: %w", err)
	}
	return s, nil
}

// mailDomain ends the Message-IDs of queued mails: the domain of the
// sender's address, else the portal's public host name, else "supportal".
func mailDomain(from string, public *url.URL) string {
	if a, err := netmail.ParseAddress(from); err == nil {
		if i := strings.LastIndex(a.Address, "@"); i >= 0 && a.Address[i+1:] != "" {
			return a.Address[i+1:]
		}
	}
	if public != nil && public.Hostname() != "" && net.ParseIP(public.Hostname()) == nil {
		return public.Hostname()
	}
	return "supportal"
}

// isLoopback reports whether a listens on a loopback address only.
func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

// demoURLs are the portal's URL as the demo practice portal frames it and
// the demo's origin, from the addresses they listen on: the portal at
// localhost, the demo at an IP address, so that the frame is on another
// site than its host (as in production, where third-party cookies are
// blocked).
func demoURLs(portal, demo net.Addr) (portalURL, demoOrigin string) {
	portalURL = "http://" + portal.String()
	if a, ok := portal.(*net.TCPAddr); ok && (a.IP.IsLoopback() || a.IP.IsUnspecified()) {
		portalURL = "http://localhost:" + strconv.Itoa(a.Port)
	}
	demoOrigin = "http://" + demo.String()
	if a, ok := demo.(*net.TCPAddr); ok && a.IP.IsUnspecified() {
		demoOrigin = "http://127.0.0.1:" + strconv.Itoa(a.Port)
	}
	return portalURL, demoOrigin
}
