# Two commands matter: `make run` and `make test`. Everything else is what they call.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
APT_PACKAGES := chromium chromium-driver fonts-noto-cjk fonts-noto-core default-jre-headless
# What WeasyPrint needs to make the application PDF (portal/application_pdf.py): Pango and
# HarfBuzz, and the fonts of every script the portal writes (Japanese, Chinese, Korean, Devanagari).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-noto-core

# The Redis the rate-limit tests share between two apps (tests/hostile/test_rate_limits.py): the
# one answering on 127.0.0.1:REDIS_PORT, else Debian's redis-server (installed when missing)
# started on TEST_REDIS_PORT for this run alone and stopped after it. Either way the tests must
# reach it (PORTAL_REQUIRE_REDIS=1: fail, not skip).
REDIS_PORT ?= 6379
TEST_REDIS_PORT ?= 6390
REDIS_PING = $(BIN)/python -c 'import sys, redis; redis.Redis(port=int(sys.argv[1]), socket_connect_timeout=1).ping()'
define with_redis
if $(REDIS_PING) $(REDIS_PORT) 2>/dev/null; then \
  export PORTAL_TEST_REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/0; \
else \
  command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }; \
  redis-server --bind 127.0.0.1 --port $(TEST_REDIS_PORT) --save '' --appendonly no >/dev/null & \
  redis_pid=$$!; trap 'kill $$redis_pid; wait $$redis_pid' EXIT; \
  for _ in $$(seq 1 50); do $(REDIS_PING) $(TEST_REDIS_PORT) 2>/dev/null && break; sleep 0.1; done; \
  echo "Redis for the tests: started on 127.0.0.1:$(TEST_REDIS_PORT) (nothing answered on $(REDIS_PORT))"; \
  export PORTAL_TEST_REDIS_URL=redis://127.0.0.1:$(TEST_REDIS_PORT)/0; \
fi; \
export PORTAL_REQUIRE_REDIS=1;
endef

.DEFAULT_GOAL := help
.PHONY: help run test test-fast test-rate-limits a11y lint translations compiled-catalogues browsers pdf-libraries schema check clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/portal: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: $(BIN)/portal compiled-catalogues pdf-libraries ## Start the portal with the sample procedures at http://127.0.0.1:$(PORT)
	PORTAL_ENV=development PORTAL_SECURE_COOKIES=0 PORTAL_STUB_IDP=1 PORTAL_BASE_URL=http://127.0.0.1:$(PORT) $(BIN)/portal serve --dev --port $(PORT)

translations: $(BIN)/portal ## Extract UI strings, update every catalogue, compile them
	$(BIN)/python -m portal.catalogues update
	$(BIN)/python -m portal.catalogues compile

compiled-catalogues: $(BIN)/portal
	$(BIN)/python -m portal.catalogues compile

browsers: ## Install Debian's chromium, chromedriver, fonts and Java when missing (never a browser download)
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v java >/dev/null || ! fc-list | grep -q "Noto Sans CJK"; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

pdf-libraries: ## Install Debian's Pango, HarfBuzz and Noto fonts for the application PDF when missing
	@missing=$$(for p in $(PDF_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

accessibility_tests/node_modules/.package-lock.json: accessibility_tests/package-lock.json
	npm ci --prefix accessibility_tests --ignore-scripts --no-audit --no-fund --silent

test: $(BIN)/portal browsers pdf-libraries compiled-catalogues accessibility_tests/node_modules/.package-lock.json ## Install what tests need; run every test, the accessibility audit of every page template and field type in each state and locale included; write build/jis-report/
	@# The audit's browsers leave a core free: tests/ runs on it meanwhile, its output shown after.
	@mkdir -p build; $(with_redis) \
	echo "tests/ runs beside the audit; its output follows the audit's (build/tests.log)"; \
	$(BIN)/pytest -p no:cacheprovider tests > build/tests.log 2>&1 & unit=$$!; \
	$(BIN)/pytest accessibility_tests; audit=$$?; \
	wait $$unit; tests=$$?; cat build/tests.log; \
	echo "make test: tests/ exit $$tests, accessibility_tests/ exit $$audit"; \
	exit $$(( tests != 0 || audit != 0 ))

a11y: $(BIN)/portal browsers compiled-catalogues accessibility_tests/node_modules/.package-lock.json ## Run the accessibility audit alone and write build/jis-report/
	$(BIN)/pytest accessibility_tests

test-fast: $(BIN)/portal compiled-catalogues pdf-libraries ## Run the tests that need no browser
	$(with_redis) $(BIN)/pytest tests

test-rate-limits: $(BIN)/portal ## Run the rate-limit tests, with a Redis shared between two apps
	$(with_redis) $(BIN)/pytest tests/hostile/test_rate_limits.py

lint: $(BIN)/portal ## ruff: lint and format check
	$(BIN)/ruff check portal tests accessibility_tests
	$(BIN)/ruff format --check portal tests accessibility_tests

schema: $(BIN)/portal ## Regenerate procedures/schema.json from the model
	$(BIN)/portal schema

check: $(BIN)/portal ## Validate the procedure files
	$(BIN)/portal check --strict procedures/

clean: ## Remove the virtualenv, build output and the local database
	rm -rf $(VENV) build instance
