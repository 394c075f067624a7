# The two commands a newcomer needs: `make demo` and `make test`. Python 3.11 and make suffice.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres test-replicas test-fuzz lint format install install-test serve bench bench-scale bench-city bench-rush clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（未找到 $(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make demo: install, migrate, load the demo district (fresh each time), print logins, serve on PORT
demo: install
	$(BIN)/weijian migrate --no-input -v 0
	$(BIN)/weijian demo --reset --port $(PORT)

serve: install
	$(BIN)/weijian migrate --no-input -v 0
	$(BIN)/weijian serve --port $(PORT)

## make test: lint, then the whole suite on SQLite, then on PostgreSQL when one can be found
test: install-test lint
	@if [ -n "$$WEIJIAN_TEST_POSTGRES_URL" ] || command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "== PostgreSQL found: the suite runs on SQLite, then on PostgreSQL"; \
	else \
	  echo "== SKIPPING the PostgreSQL pass: no PostgreSQL server programs and no WEIJIAN_TEST_POSTGRES_URL"; \
	fi
	@command -v chromium >/dev/null 2>&1 || echo "== SKIPPING browser tests: no chromium (Debian package 'chromium')"
	@command -v soffice >/dev/null 2>&1 || echo "== SKIPPING document rendering checks: no LibreOffice (soffice)"
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$WEIJIAN_TEST_POSTGRES_URL" ] || command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory test-postgres; \
	fi

test-sqlite: install-test
	@echo "== Test suite on SQLite"
	env -u WEIJIAN_DATABASE_URL $(BIN)/pytest

test-postgres: install-test
	@echo "== Test suite on PostgreSQL"
	scripts/with-test-postgres $(BIN)/pytest

## make test-replicas: the analytics tests answered by a real streaming replica (primary + 2 replicas)
test-replicas: install-test
	scripts/with-replica-postgres $(BIN)/pytest tests/indicators/test_analytics.py \
	  tests/indicators/test_analytics_at_scale.py tests/api/test_analytics.py tests/test_replicas.py

## make test-fuzz: only the bounded schemathesis run over /api/openapi.json (part of `make test` too)
test-fuzz: install-test
	env -u WEIJIAN_DATABASE_URL $(BIN)/pytest tests/api/test_openapi_fuzz.py

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install-test
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python bench/run.py

## make bench-scale: a 2-million-value county, the library pivot on SQLite and PostgreSQL vs DuckDB
bench-scale: install
	$(BIN)/pip install --quiet -e '.[bench]'
	env -u WEIJIAN_DATABASE_URL $(BIN)/python bench/scale.py
	scripts/with-test-postgres $(BIN)/python bench/scale.py

## make bench-city: a ≈ 26-million-value city (480 institutions) by COPY on a throwaway PostgreSQL, the library pivot vs DuckDB
bench-city: install
	$(BIN)/pip install --quiet -e '.[bench]'
	scripts/with-test-postgres $(BIN)/python bench/scale.py --scale city --repeat 5 --verify-every 10 --reference-repeat 0

## make bench-rush: 20 clerks saving 100-value forms at once on a real `weijian serve`, SQLite then PostgreSQL
bench-rush: install
	env -u WEIJIAN_DATABASE_URL $(BIN)/python bench/rush.py
	scripts/with-test-postgres $(BIN)/python bench/rush.py --port 8432

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
