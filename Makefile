# Two commands for a newcomer: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.requirements-installed
PYTEST_ARGS ?=

.PHONY: setup run test test-fast lint format bench demo-logins clean-db

# Idempotent: creates the virtualenv and installs the pins only when requirements changed,
# migrates, and seeds the small demo only when the database is empty.
setup: $(STAMP)
	@mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) seed_demo --tier small --if-empty

$(STAMP): requirements/base.txt requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@# A half-made .venv (say, venv failed for want of python3-venv) is made again, not reused.
	test -x $(VENV)/bin/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $(STAMP)

run: setup
	@$(MANAGE) demo_logins
	@# Background tasks (imports, notifications, the needs' deadline clock, appointment and care
	@# reminders) run in a worker beside the server; `clock` enqueues each periodic tick when its
	@# period has passed. All stop together on Ctrl-C.
	$(MANAGE) db_worker --interval 0.5 --reload & worker=$$!; \
	$(MANAGE) clock & clock=$$!; \
	trap 'kill $$worker $$clock 2>/dev/null' EXIT; \
	$(MANAGE) runserver 127.0.0.1:8000

# The whole suite on the database DATABASE_URL names (SQLite in memory when unset). The tests
# build their own databases, so the demo is neither migrated nor seeded for them.
# Browser tests run when /usr/bin/chromium exists (.ci/run installs it).
test: $(STAMP)
	$(VENV)/bin/pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(VENV)/bin/pytest -n 2 -q -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

demo-logins: setup
	$(MANAGE) demo_logins

bench: setup
	$(PY) bench/trees.py --tier small

clean-db:
	rm -f var/tongxin.sqlite3 var/tongxin.sqlite3-wal var/tongxin.sqlite3-shm
