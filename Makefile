# supportal — the README's commands. `make run` builds and serves the demo
# portal on http://127.0.0.1:8080 and the demo practice portal that embeds
# it on http://127.0.0.1:8081; `make test` runs every test.

GO          ?= go
ADDR        ?= 127.0.0.1:8080
DEMO_HOST   ?= 127.0.0.1:8081
LOAD_ADDR   ?= 127.0.0.1:18089
WASM_BUDGET ?= 1700000

APP_SOURCES := $(shell find app locales -name '*.go' -o -name '*.json') go.mod go.sum

AXE := .ci/axe/node_modules/axe-core/axe.min.js

.PHONY: all build wasm run test check-deps check-wasm-size vet bench bench-nodes clean axe

all: build

# web/app.wasm and its precompressed forms; rebuilt only when app/ or locales/ change.
wasm: web/app.wasm.br

# No inlining outside the standard library (the app, go-app, x/text): Go's
# wasm code for an inlined go-app builder chain is large and its inline
# tables compress badly; without it app.wasm is 0.4 MB smaller raw and about
# 0.12 MB smaller brotli (docs/wasm-size.md). The runtime and the rest of the
# standard library keep their inlining.
WASM_GCFLAGS := -gcflags=all=-l -gcflags=std=

# go-app's pkg/app imports net/http for its server Handler (http.go,
# resource.go), and net/http brings crypto/tls, x509 and the FIPS module
# into app.wasm: 1.7 MB raw, 0.3 MB brotli that the browser never runs.
# The browser build uses a copy of go-app's pkg/app without http.go and
# with resource.go and wasm.go from _wasm/goapp/ (the same files without
# net/http), through its own go.mod (-modfile .wasm/go.mod, a replace of
# go-app by .wasm/go-app); the server builds the unmodified module. The
# files are written for one go-app version: after an upgrade, redo
# _wasm/goapp/ (docs/wasm-size.md).
GOAPP_MODULE  := github.com/maxence-charriere/go-app/v10
GOAPP_VERSION := v10.1.11

.wasm/go.mod: go.mod go.sum _wasm/goapp/resource.go _wasm/goapp/wasm.go
	@v=$$($(GO) list -m -f '{{.Version}}' $(GOAPP_MODULE)); if [ "$$v" != "$(GOAPP_VERSION)" ]; then \
		echo "go-app is $$v, _wasm/goapp/ is written for $(GOAPP_VERSION): redo it (docs/wasm-size.md)"; exit 1; fi
	@$(GO) mod download $(GOAPP_MODULE) && d=$$($(GO) list -m -f '{{.Dir}}' $(GOAPP_MODULE)); rm -rf .wasm && mkdir -p .wasm/go-app/pkg && \
	cp $$d/go.mod $$d/LICENSE .wasm/go-app/ && cp -r $$d/pkg/app $$d/pkg/errors .wasm/go-app/pkg/ && chmod -R u+w .wasm && \
	rm .wasm/go-app/pkg/app/http.go && cp _wasm/goapp/resource.go _wasm/goapp/wasm.go .wasm/go-app/pkg/app/ && \
	cp go.sum .wasm/go.sum && cp go.mod .wasm/go.mod.tmp && \
	$(GO) mod edit -replace=$(GOAPP_MODULE)=./.wasm/go-app .wasm/go.mod.tmp && mv .wasm/go.mod.tmp $@

web/app.wasm: $(APP_SOURCES) .wasm/go.mod
	GOOS=js GOARCH=wasm $(GO) build -modfile=.wasm/go.mod -trimpath $(WASM_GCFLAGS) -ldflags='-s -w' -o web/app.wasm ./app

web/app.wasm.br: web/app.wasm server/tools/precompress/main.go
	$(GO) run ./server/tools/precompress web/app.wasm

# bin/supportal: one self-contained file (web assets and app.wasm embedded).
build: wasm
	$(GO) build -trimpath -o bin/supportal ./server

run: build
	@echo "supportal: http://$(ADDR)   demo practice portal (embeds it): http://$(DEMO_HOST)"
	./bin/supportal -addr $(ADDR) -demo -demo-host $(DEMO_HOST)

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/... ./locales/
	@out=$$(gofmt -l app server web locales); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# The browser app must link no server code (go-app itself brings
# database/sql/driver through google/uuid; database/sql proper must not come).
# It lists what the browser build links (.wasm/go.mod, see above), which
# must not be net/http either.
check-deps: .wasm/go.mod
	@bad=$$(GOOS=js GOARCH=wasm $(GO) list -modfile=.wasm/go.mod -deps ./app | grep -E 'gorilla/websocket|^database/sql$$|/server(/|$$)|modernc.org|^net/http$$|^golang.org/x/text/' || true); \
	if [ -n "$$bad" ]; then echo "app.wasm links server code (or x/text, which the server runs for it: locales/match.go):"; echo "$$bad"; exit 1; fi; echo "check-deps: app.wasm links no server code"

check-wasm-size: wasm
	@size=$$(wc -c < web/app.wasm.br); echo "app.wasm brotli: $$size bytes (budget $(WASM_BUDGET))"; \
	if [ $$size -gt $(WASM_BUDGET) ]; then echo "app.wasm is over budget"; exit 1; fi

# axe-core for the browser tests' accessibility sweep (server/e2e/axe_test.go),
# the version pinned in .ci/axe/package-lock.json, from the npm registry.
axe: $(AXE)

$(AXE): .ci/axe/package.json .ci/axe/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed for axe-core (Debian: apt-get install npm)"; exit 1; }
	npm ci --prefix .ci/axe --no-audit --no-fund
	@touch $@

# The browser tests (server/e2e) take longest: they start at once, in
# their own process (two browsers at a time), beside the other packages
# taken one at a time (as many tests at once as before, the longest first);
# their output follows the others'. The PostgreSQL store's tests need
# Debian's postgresql binaries (a throwaway cluster per test binary):
# SUPPORTAL_PG=1 fails them when those are missing instead of skipping.
# The API's tests then run again on PostgreSQL (SUPPORTAL_API_STORE;
# without -race: the SQLite run has it, this one checks the SQL), after the
# browser tests (beside them, the extra load made the load-fragile browser
# tests time out).
test: vet check-deps check-wasm-size axe
	@log=$$(mktemp); \
	SUPPORTAL_PG=1 SUPPORTAL_E2E=1 $(GO) test -race -count=1 -timeout 30m ./server/e2e/ >$$log 2>&1 & e2e=$$!; \
	SUPPORTAL_PG=1 $(GO) test -race -count=1 -timeout 30m -p 1 $$($(GO) list ./... | grep -v '/server/e2e$$'); rest=$$?; \
	wait $$e2e; browsers=$$?; \
	SUPPORTAL_PG=1 SUPPORTAL_API_STORE=postgres $(GO) test -count=1 -timeout 30m ./server/api/; pgapi=$$?; \
	cat $$log; rm -f $$log; \
	test $$rest -eq 0 -a $$pgapi -eq 0 -a $$browsers -eq 0

# The store's and the API's benchmarks, app.wasm's sizes, then the load
# command against bin/supportal on a fresh database file (durable: every
# acknowledged write fsynced): creates, replies and the ticket list at 1,
# 16 and 64 clients; then the start of the app in Chromium (startbench
# starts bin/supportal -memory -demo on a free port): cold, repeat and
# restart visits of the dashboard, median of 5.
bench: build
	$(GO) test -run '^$$' -bench . -benchtime 2s ./server/store/ ./server/api/
	@echo "app.wasm raw $$(wc -c < web/app.wasm) gzip $$(wc -c < web/app.wasm.gz) brotli $$(wc -c < web/app.wasm.br) bytes"
	@dir=$$(mktemp -d); ./bin/supportal -data $$dir -demo -addr $(LOAD_ADDR) >$$dir/log 2>&1 & pid=$$!; \
	$(GO) run ./server/tools/loadtest api -url http://$(LOAD_ADDR); status=$$?; \
	kill $$pid; wait $$pid; rm -rf $$dir; exit $$status
	$(GO) run ./server/tools/startbench -bin bin/supportal -runs 5

# SQLite against PostgreSQL with one and two nodes (the load command;
# needs Debian's postgresql).
bench-nodes: build
	server/tools/nodesbench.sh

clean:
	rm -rf bin web/app.wasm web/app.wasm.br web/app.wasm.gz .wasm .ci/axe/node_modules
