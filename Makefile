# supportal — the README's commands. `make run` builds and serves the demo
# portal on http://127.0.0.1:8080 and the demo practice portal that embeds
# it on http://127.0.0.1:8081; `make test` runs every test.

GO          ?= go
ADDR        ?= 127.0.0.1:8080
DEMO_HOST   ?= 127.0.0.1:8081
LOAD_ADDR   ?= 127.0.0.1:18089
WASM_BUDGET ?= 2200000

APP_SOURCES := $(shell find app locales -name '*.go' -o -name '*.json') go.mod go.sum

AXE := .ci/axe/node_modules/axe-core/axe.min.js

.PHONY: all build wasm run test check-deps check-wasm-size vet bench clean axe

all: build

# web/app.wasm and its precompressed forms; rebuilt only when app/ or locales/ change.
wasm: web/app.wasm.br

web/app.wasm: $(APP_SOURCES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o web/app.wasm ./app

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
check-deps:
	@bad=$$(GOOS=js GOARCH=wasm $(GO) list -deps ./app | grep -E 'gorilla/websocket|^database/sql$$|/server(/|$$)|modernc.org' || true); \
	if [ -n "$$bad" ]; then echo "app.wasm links server code:"; echo "$$bad"; exit 1; fi; echo "check-deps: app.wasm links no server code"

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

test: vet check-deps check-wasm-size axe
	SUPPORTAL_E2E=1 $(GO) test -race -count=1 -timeout 30m ./...

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

clean:
	rm -rf bin web/app.wasm web/app.wasm.br web/app.wasm.gz .ci/axe/node_modules
