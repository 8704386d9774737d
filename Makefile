# Family Front Door. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# The test tools (pytest, Playwright, ruff...): a server installs with EXTRAS= (none).
EXTRAS ?= test

.DEFAULT_GOAL := help
.PHONY: help run test test-stack lint install system-deps check translations unavailable-page extract bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: install translations ## set everything up and run the site on http://127.0.0.1:5000
	$(BIN)/flask --app wsgi content check || true
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi search rebuild
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

test: install translations system-deps lint ## set everything up, lint, and run all the tests
	$(BIN)/flask --app wsgi content check
	$(BIN)/python -m pytest

lint: install ## check the code with ruff (settings in pyproject.toml)
	$(BIN)/ruff check .

install: $(INSTALLED) ## make the virtualenv with the app and its test tools (EXTRAS= for a server: the app only)

$(INSTALLED): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.$(if $(EXTRAS),[$(EXTRAS)])'
	touch $@

test-stack: install translations system-deps ## run only the stack test (nginx, Redis, PostgreSQL, two servers)
	$(BIN)/python -m pytest -m stack -s

# Chromium and fonts for the browser tests; nginx, Redis and wrk for the
# stack test (run as our own processes, never as the system services).
# Fonts: fonts-noto-core for Arabic, Urdu and Bengali; fonts-wqy-microhei for
# Chinese (1.6 MB to download, against 56.5 MB for fonts-noto-cjk).
SYSTEM_PACKAGES := chromium fonts-noto-core fonts-wqy-microhei nginx redis-server wrk

system-deps: ## install Debian's Chromium, fonts, nginx, redis-server and wrk for the tests (needs root)
	@if [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/truetype/noto ] && [ -d /usr/share/fonts/truetype/wqy ] \
	  && [ -x /usr/sbin/nginx ] \
	  && command -v redis-server >/dev/null && command -v wrk >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "Chromium, nginx, redis-server or wrk is missing and we are not root: those tests will be skipped"; exit 0; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null

check: install ## check the content folder (path:line: message per problem)
	$(BIN)/flask --app wsgi content check

bench: install ## run the benchmarks (prints figures; not part of the tests)
	$(BIN)/python benchmarks/content_bench.py

clean: ## remove the virtualenv and generated files
	rm -rf $(VENV) *.egg-info .pytest_cache

MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

translations: install $(MO_FILES) ## compile the interface translations (.po -> .mo)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --use-fuzzy -d translations -l $*

unavailable-page: translations ## render static/unavailable.html (nginx's page when no app server answers)
	$(BIN)/python -m portal.ops.unavailable

extract: install ## extract new interface strings and merge them into every .po
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k ngettext:1,2 --no-location \
	  --sort-output --project "Family Front Door" --msgid-bugs-address startwell@example.org \
	  -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations
