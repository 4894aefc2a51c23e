# 重大项目推进平台 — developer commands. Needs only python3 (3.11) and make; no root.
#
#   make run     install, migrate, load the demo data, serve http://127.0.0.1:8000/ with Celery
#                workers (queues "sweeps" and "deliveries") and beat (Ctrl-C stops them all)
#   make test    install, run the whole test suite, lint
#   make backup  back up the database and the media into var/backups/ (BACKUP_DIR)
#   make restore ARCHIVE=var/backups/tracker-backup-….tar.gz [FORCE=1]   restore one
#
# Embedded defaults: SQLite under var/ and kombu's filesystem broker under var/. Set
# DATABASE_URL / REDIS_URL to use PostgreSQL / Redis (see README.md, "Configuration").

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The install is redone only when a requirements file changes (the stamp names their checksum).
REQ_SUM := $(shell cat requirements.txt requirements-dev.txt 2>/dev/null | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(REQ_SUM)

MANAGE := $(BIN)/python manage.py
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=static/vendor

.PHONY: help install run test fuzz lint format messages bench backup restore clean

help:
	@echo "make run       install, migrate, load demo data, serve on http://$(HOST):$(PORT)/ with Celery workers (sweeps, deliveries) + beat"
	@echo "make test      install, run the whole test suite (pytest) and ruff"
	@echo "make fuzz      deeper schemathesis (coverage phase, 10 examples) as five roles, and the hypothesis suites"
	@echo "make lint      ruff check + ruff format --check"
	@echo "make format    ruff format + ruff check --fix"
	@echo "make messages  update and compile the zh_Hans translations"
	@echo "make bench     run the benchmarks in bench/"
	@echo "make backup    back up the database and media into BACKUP_DIR (default var/backups/)"
	@echo "make restore   ARCHIVE=path [FORCE=1]: restore a backup into this (empty) instance"
	@echo "make clean     remove var/ (database, broker, media) and caches; keeps .venv"

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@if [ ! -x "$(BIN)/python" ]; then
	  echo "Creating $(VENV) with $$($(PYTHON) --version)"
	  $(PYTHON) -m venv $(VENV)
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

# Compile translations only when a .mo is missing: the .mo files are committed, so a fresh clone
# needs no gettext (a checkout's file times say nothing about which file is newer). After editing
# a .po, run `make messages`.
define COMPILE_MESSAGES_IF_NEEDED
for po in $$(find locale -name '*.po' 2>/dev/null); do
  if [ ! -f "$${po%.po}.mo" ]; then $(MANAGE) compilemessages --ignore=.venv --ignore=var; break; fi
done
endef

run: install
	@# A development server: DEBUG on unless the caller says otherwise (DEBUG=0 make run).
	export DEBUG="$${DEBUG:-1}"
	export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"
	$(MANAGE) migrate --noinput
	$(COMPILE_MESSAGES_IF_NEEDED)
	$(MANAGE) load_demo
	mkdir -p var
	pids=()
	stop() {
	  trap - INT TERM EXIT
	  echo; echo "Stopping web, workers and beat…"
	  kill -TERM "$${pids[@]}" 2>/dev/null || true
	  for _ in $$(seq 1 50); do kill -0 "$${pids[@]}" 2>/dev/null || break; sleep 0.2; done
	  kill -KILL "$${pids[@]}" 2>/dev/null || true
	  wait 2>/dev/null || true
	}
	trap 'stop; exit 130' INT TERM
	trap stop EXIT
	$(MANAGE) runserver "$(HOST):$(PORT)" & pids+=($$!)
	# One worker per queue (settings CELERY_TASK_ROUTES): beat's sweeps are never stuck behind deliveries.
	$(BIN)/celery -A projects_tracker worker -Q sweeps -n sweeps@%h --loglevel=INFO --concurrency=1 & pids+=($$!)
	$(BIN)/celery -A projects_tracker worker -Q deliveries,celery -n deliveries@%h --loglevel=INFO --concurrency=2 & pids+=($$!)
	$(BIN)/celery -A projects_tracker beat --loglevel=INFO --schedule=var/celerybeat-schedule & pids+=($$!)
	echo
	echo "  重大项目推进平台: http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/)"
	echo "  Log in as demo-leader, demo-official, demo-staff, demo-handler or demo-supervisor"
	echo "  with the password printed above (DEMO_PASSWORD). Ctrl-C stops web, workers and beat."
	echo
	# Stop everything as soon as any one of them exits.
	set +e
	wait -n
	status=$$?
	echo "A process exited (status $$status); stopping the others." >&2
	exit $$status

test: install
	@$(BIN)/pytest
	$(BIN)/ruff check .

# Schemathesis over every API operation as five roles (tests/fuzz/test_api_schemathesis.py; `make test`
# runs it too, with 2 examples and without the coverage phase), here with the coverage phase.
fuzz: install
	@SCHEMATHESIS_COVERAGE=1 SCHEMATHESIS_MAX_EXAMPLES=$${SCHEMATHESIS_MAX_EXAMPLES:-10} $(BIN)/pytest tests/fuzz -q

lint: install
	@$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	@$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	@export DEBUG=1
	$(MANAGE) makemessages -l zh_Hans $(MAKEMESSAGES_IGNORE)
	$(MANAGE) compilemessages --ignore=.venv --ignore=var

# Every bench/*.py not starting with an underscore, in name order; results go to bench/results/.
bench: install
	@mkdir -p bench/results
	shopt -s nullglob
	scripts=(bench/[!_]*.py)
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmarks in bench/."; exit 0; fi
	for script in "$${scripts[@]}"; do
	  echo "== $$script"
	  $(BIN)/python "$$script"
	done

# Backups of whatever DATABASE_URL / MEDIA_ROOT name (the embedded SQLite under var/ by default).
# DEBUG defaults to on as for `make run`, so that no SECRET_KEY is needed for the local instance.
backup: install
	@export DEBUG="$${DEBUG:-1}"
	$(MANAGE) backup

restore: install
	@if [ -z "$(ARCHIVE)" ]; then
	  echo "usage: make restore ARCHIVE=var/backups/tracker-backup-<time>.tar.gz [FORCE=1]" >&2
	  exit 2
	fi
	export DEBUG="$${DEBUG:-1}"
	$(MANAGE) restore "$(ARCHIVE)" $(if $(FORCE),--force)

clean:
	@rm -rf var .pytest_cache .ruff_cache test-results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
