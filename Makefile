# Two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint format check bench lighthouse screenshots clean install

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $(STAMP)

install: $(STAMP)

# The background worker (image renditions, docs/deployment.md) beside the web server,
# in the same shell line: stopped when the server stops.
WITH_WORKER = $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM;

run: export DJANGO_DEBUG ?= 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py createinitialrevisions articles.Article --comment "Demo content" -v0
	$(BIN)/python manage.py ensure_demo_editor --site-url http://$(HOST):$(PORT)
	$(WITH_WORKER) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production configuration (docs/deployment.md): debug off, static files collected,
# migrated, gunicorn with workers from the cores (cms/gunicorn.conf.py) and the
# background worker beside it. Needs DJANGO_SECRET_KEY; HOST=0.0.0.0 to listen
# beyond this machine.
serve: export DJANGO_DEBUG := 0
serve: export HOST := $(HOST)
serve: export PORT := $(PORT)
serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(WITH_WORKER) $(BIN)/gunicorn -c cms/gunicorn.conf.py

# Both cores (pytest-xdist): tests are shared out, the browser tests kept together.
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The site under gunicorn, driven by wrk, uncached and cached; results in docs/performance.md.
# Then the read API's list and detail, in-process uncached and under wrk cached (printed),
# and moving in: a 2,000-post WordPress export imported, then exported and imported (printed).
# BENCH_SECONDS=5 for a quicker run, DATABASE_URL for PostgreSQL, WAGTAIL=1 to compare.
bench: $(STAMP)
	@command -v wrk >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py $(if $(filter-out 0,$(WAGTAIL)),--wagtail)
	$(BIN)/python bench/api_at_scale.py
	$(BIN)/python bench/wordpress_import.py

# Lighthouse (npm registry, Debian's Chromium) on the article, home and a section page of
# the deployed demo, phone profile, median of 3 runs; results in docs/performance.md.
lighthouse: $(STAMP)
	$(BIN)/python bench/lighthouse.py

# The reader's pages on a phone and a desktop, into docs/screenshots/ (README).
screenshots: $(STAMP)
	$(BIN)/python bench/screenshots.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
