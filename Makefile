# Kiln: the two commands of the README's quick start are `make demo` and
# `make test`. Both install what they need on a fresh Debian machine.
GO       ?= go
BIN      := bin/kiln
OUT      ?= out
FUZZTIME ?= 10s

.PHONY: demo test setup setup-test build check bench clean

build:
	$(GO) build -o $(BIN) ./cmd/kiln

setup:
	bash scripts/setup.sh

setup-test:
	bash scripts/setup.sh --test

# Render the sample snapshots in testdata/ into $(OUT)/.
demo:
	bash scripts/demo.sh $(OUT)

# Everything CI runs: install, format and vet checks, all tests, short fuzzing.
test:
	bash scripts/test.sh

# The benchmark harness (tools/bench, a module of its own; docs/benchmarks.md).
bench: setup-test
	bash scripts/bench.sh

clean:
	rm -rf bin $(OUT)
