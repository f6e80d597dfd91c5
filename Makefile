GO ?= go

.PHONY: test demo build bench screenshots

# Every test and check (gofmt, vet, tidy, SQLite and PostgreSQL suites).
test:
	scripts/test

# Diemen demo on the embedded store.
demo:
	$(GO) run ./cmd/baken demo

build:
	$(GO) build -o bin/baken ./cmd/baken

# Whole-workload benchmarks on both stores (docs/BENCHMARKS.md); not part of test.
bench:
	scripts/bench $(ROWS)

# A full-page screenshot of every page of the browser tour (cmd/baken/browser_test.go),
# in headless Chromium (scripts/test-deps installs it), as docs/screenshots/NN-name.png.
screenshots:
	mkdir -p docs/screenshots
	BAKEN_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test ./cmd/baken -run TestBrowser -count=1
