# Plenary. `make run` starts the all-in-one service with demo data; `make test` runs the
# whole suite (PostgreSQL on 127.0.0.1:5432 is required: see README).
SHELL := /bin/bash
GO ?= go
BIN := bin/plenary
STATICCHECK_VERSION ?= v0.8.2
GOBIN := $(shell $(GO) env GOPATH)/bin
PKGS := ./...
IMAGE_TAG ?= dev

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-18s %s\n", $$1, $$2}'

.PHONY: build
build: ## Build bin/plenary (static, no cgo)
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./services/cmd/plenary

.PHONY: run
run: build ## Run the all-in-one service with demo data on 127.0.0.1:8080 (data in ./var)
	./$(BIN) serve

.PHONY: test
test: ## Run the whole test suite (unit, store contracts on SQLite and PostgreSQL, NATS, SMTP, fuzz corpora)
	$(GO) test -count=1 -timeout 20m $(PKGS)

.PHONY: test-race
test-race: ## Run the suite with the race detector
	$(GO) test -count=1 -race -timeout 30m $(PKGS)

.PHONY: test-integration
test-integration: ## Run the container suite (needs a Docker engine and PostgreSQL: see deploy/README.md)
	$(GO) test -count=1 -tags integration -timeout 30m ./integration/

.PHONY: test-faults
test-faults: ## Fault suite with real processes (private PostgreSQL and nats-server, kill -9, SIGSTOP); prints its table
	$(GO) test -count=1 -tags integration -timeout 40m -v -run 'Fault' ./integration/faults

.PHONY: images
images: ## Build the FROM-scratch images plenary:$(IMAGE_TAG) and plenary-nats:$(IMAGE_TAG) (Docker, no registry)
	rm -rf bin/image && mkdir -p bin/image/plenary/tmp bin/image/nats/data
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/image/plenary/plenary ./services/cmd/plenary
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/image/nats/nats-server github.com/nats-io/nats-server/v2
	cp deploy/nats/nats.conf bin/image/nats/
	docker build -q -f deploy/Dockerfile -t plenary:$(IMAGE_TAG) bin/image/plenary
	docker build -q -f deploy/nats.Dockerfile -t plenary-nats:$(IMAGE_TAG) bin/image/nats

BENCH ?= .
# 100,000 reminders take about four minutes a round on 2 shared cores: the default run
# sends 20,000 so that `make bench` stays a few minutes; PLENARY_BENCH_REMINDERS=100000
# gives the issue's figure.
PLENARY_BENCH_REMINDERS ?= 20000
export PLENARY_BENCH_REMINDERS
.PHONY: bench
bench: ## Run the benchmarks, each alternating with its baseline (median of PLENARY_BENCH_ROUNDS, 5), and print one table
	$(GO) run ./bench/cmd/benchtable -bench '$(BENCH)' $(PKGS)

.PHONY: fuzz
fuzz: ## Fuzz every parser of outside input for FUZZTIME each (default 1m)
	@for t in $$(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)' --include=*_test.go . | sed 's/func //' | sort -u); do \
	  pkg=$$(grep -rlE "^func $$t\(" --include=*_test.go . | head -1 | xargs dirname); \
	  echo "fuzz $$t in $$pkg"; \
	  $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $${FUZZTIME:-1m} -parallel 1 $$pkg || exit 1; \
	done

.PHONY: soak
soak: ## Longer load and fault runs, bounded, against loopback only (the fault suite at the issue's scale)
	PLENARY_SOAK=1 $(GO) test -count=1 -run 'Soak' -timeout 60m $(PKGS)
	PLENARY_SOAK=1 $(GO) test -count=1 -tags integration -timeout 90m -v -run 'Fault' ./integration/faults

.PHONY: lint
lint: ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@command -v staticcheck >/dev/null 2>&1 || test -x $(GOBIN)/staticcheck || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	PATH="$(GOBIN):$$PATH" staticcheck $(PKGS)

.PHONY: vuln
vuln: ## govulncheck (needs network access to the vulnerability database)
	@command -v govulncheck >/dev/null 2>&1 || $(GO) install golang.org/x/vuln/cmd/govulncheck@latest
	PATH="$(GOBIN):$$PATH" govulncheck $(PKGS)

.PHONY: clean
clean: ## Remove build output and the demo data directory
	rm -rf bin var
