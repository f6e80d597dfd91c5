GO ?= go

.PHONY: test demo build bench

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
