# The menu. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUNTIME := $(VENV)/.runtime
VENDOR := src/threadline/web/static/vendor/cytoscape.min.js

.PHONY: install demo test lint typecheck unit bench bench-graph bench-api e2e browser chromium postgresql clean train eval-loco

# Two stamps: the runtime (what `threadline` needs, for `make demo`) and everything
# (the dev, records, spark extras: linters, type checker, test tools, Splink, pyspark;
# for `make test`).
$(RUNTIME): pyproject.toml
	@# PyICU (pulled in by normality, through rigour) compiles against the system ICU.
	@pkg-config --exists icu-uc 2>/dev/null || ! command -v apt-get >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq libicu-dev pkg-config >/dev/null)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# --no-compile: no bytecode for the thousands of modules the demo never imports
	@# (about 150 MB); Python writes it for those it does import, on first use.
	$(BIN)/python -m pip install --quiet --no-compile -e .
	@# threadline's own modules compiled once (an editable install is not, and where
	@# PYTHONDONTWRITEBYTECODE is set every command would compile them again)
	$(BIN)/python -m compileall -q src/threadline
	touch $(RUNTIME)

$(STAMP): $(RUNTIME) pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev,records,spark]"
	touch $(STAMP)

$(VENDOR): frontend/package.json frontend/package-lock.json frontend/build.mjs
	@# The workbench's browser libraries (Cytoscape.js, Swagger UI) come from npm and are
	@# copied into the package by the frontend build; never pasted by hand, never committed.
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund && npm run build

install: $(STAMP) $(VENDOR) java  ## create .venv and install threadline with everything it needs

java:  ## Debian's Java 17 for the Spark engine (pyspark runs on a JVM), when missing
	@command -v java >/dev/null || [ -n "$$JAVA_HOME" ] || ! command -v apt-get >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null)

demo: $(RUNTIME) $(VENDOR)  ## the runtime only (no test tools, no Splink, no Spark), then the fictional demo case into ./threadline-demo/
	$(BIN)/threadline demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

unit: install chromium postgresql  ## the whole suite on two workers (pytest -n 2 --dist loadgroup: docs/testing.md)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

chromium:  ## Debian's Chromium for the browser tests, when missing (playwright drives it)
	@command -v chromium >/dev/null || ! command -v apt-get >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

postgresql:  ## Debian's PostgreSQL server for the server-mode tests, when missing (they start their own)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
		! command -v apt-get >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq postgresql >/dev/null)

browser: install chromium  ## the web workbench tests in headless Chromium only
	$(BIN)/python -m pytest -m browser

test: lint typecheck unit  ## everything CI runs

e2e: install  ## the end-to-end tests on the real seeds only
	$(BIN)/python -m pytest -m slow

train: install  ## rebuild the shipped tie model from ../shared/gold (seeds.json + dev.json)
	$(BIN)/python -m threadline.extract.tie_train train

eval-loco: install  ## the tie model leave-one-case-out on dev.json: one export, scored by ../shared/gold/score.py
	$(BIN)/python -m threadline.extract.tie_train loco --work loco-out

bench: install  ## time and memory of `threadline run` on the seeds
	$(BIN)/python benchmarks/bench_run_seeds.py

bench-graph: install  ## network analysis at 1M vertices, beside networkx, and KPP-Neg (issue 5)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/graph_scale.py kpp
	$(BIN)/python benchmarks/graph_scale.py networkx
	$(BIN)/python benchmarks/graph_scale.py scale

bench-api: install chromium  ## REST API load (100k entities, 1M ties) and the 5,000-node graph view (issue 7)
	$(BIN)/python benchmarks/api_load.py

bench-spark: install  ## the Spark engine beside the embedded one: extraction, resolution, analysis (issue 10)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/spark_extract.py
	$(BIN)/python benchmarks/spark_resolve.py
	$(BIN)/python benchmarks/spark_graph.py
	$(BIN)/python benchmarks/spark_plot.py

clean:
	rm -rf $(VENV) threadline-demo .threadline frontend/node_modules src/threadline/web/static/vendor
