# Two entry points: `make demo` (the main job on the embedded DuckDB) and `make test`.
# Both build .venv in the checkout, so the CLI is .venv/bin/communique afterwards.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml setup.py src/communique/kernels.pyx requirements/model.txt scripts/install.sh scripts/build_web.sh src/communique/web/package-lock.json
	PYTHON=$(PYTHON) bash scripts/install.sh
	touch $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/store_queries.py
	$(BIN)/python benchmarks/api_latency.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
