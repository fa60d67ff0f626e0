# The menu. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint typecheck unit bench bench-graph e2e clean

$(STAMP): pyproject.toml
	@# PyICU (pulled in by followthemoney) compiles against the system ICU.
	@pkg-config --exists icu-uc 2>/dev/null || ! command -v apt-get >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq libicu-dev pkg-config >/dev/null)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install threadline with everything it needs

demo: install  ## run the fictional demo case into ./threadline-demo/
	$(BIN)/threadline demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/python -m pytest

test: lint typecheck unit  ## everything CI runs

e2e: install  ## the end-to-end tests on the real seeds only
	$(BIN)/python -m pytest -m slow

bench: install  ## time and memory of `threadline run` on the seeds
	$(BIN)/python benchmarks/bench_run_seeds.py

bench-graph: install  ## network analysis at 1M vertices, beside networkx, and KPP-Neg (issue 5)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/graph_scale.py kpp
	$(BIN)/python benchmarks/graph_scale.py networkx
	$(BIN)/python benchmarks/graph_scale.py scale

clean:
	rm -rf $(VENV) threadline-demo .threadline
