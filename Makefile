# Two entry points for a fresh machine:
#   make demo   set everything up, build the demo city and serve it on http://127.0.0.1:8000
#   make test   set everything up and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := jiayuan/static/vendor
HOST ?= 127.0.0.1:8000

.PHONY: setup demo serve test lint format clean messages

setup: $(STAMP) $(VENDOR)/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Front-end libraries come from the npm registry and are served locally, never from a CDN.
$(VENDOR)/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp frontend/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp frontend/node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	touch $@

demo: setup
	$(BIN)/jiayuan migrate --noinput
	$(BIN)/jiayuan demo
	$(BIN)/jiayuan serve --bind $(HOST)

serve: setup
	$(BIN)/jiayuan serve --bind $(HOST)

test: setup lint
	$(BIN)/pytest

# Lint, format and the import layers are checked before the tests; `make format` applies the formatting.
lint: setup
	$(BIN)/ruff check jiayuan tests
	$(BIN)/ruff format --check jiayuan tests
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff check --fix jiayuan tests
	$(BIN)/ruff format jiayuan tests

messages: setup
	cd jiayuan && ../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete --settings=jiayuan.config.settings.dev
	cd jiayuan && ../$(BIN)/django-admin compilemessages --settings=jiayuan.config.settings.dev

clean:
	rm -rf $(VENV) frontend/node_modules $(VENDOR) var
