# Developer commands. `make run` starts the portal on http://127.0.0.1:8000/ with an embedded PostgreSQL
# in .data/ (started and stopped by the Django settings when DATABASE_URL is unset).
#
#   make run      migrate, load demo data, runserver (DEBUG=1 unless DEBUG is set)
#   make stop     stop an embedded PostgreSQL left running in .data/ (after a kill -9)
#   make test     pytest (PYTEST_ARGS="-k case -x" to narrow it)
#   make bench    measure the case pages over generated data (BENCH_ARGS="--cases 1000000"; PERFORMANCE.md)
#   make loadtest 100 signed-in clients on the main pages for 60 s; fails on any error (LOADTEST_ARGS="--keep")
#   make lint     ruff check + ruff format --check
#   make messages refresh and compile the hr/en translation catalogues
#   make clean    remove .venv and .data (the embedded database!)

VENV := .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

DEBUG ?= 1
PYTEST_ARGS ?=
BENCH_ARGS ?=
LOADTEST_ARGS ?=
# Set PYTHON=/path/to/python3.x to choose the interpreter for the virtualenv yourself.
PYTHON ?=

# Interpreters tried in order for the virtualenv; the first one that is Python 3.12 or newer wins.
# `python` is pyenv's shim when pyenv is installed, so it honours .python-version.
PYTHON_CANDIDATES = $(PYTHON) python3.13 python3.12 python3.14 python3 python \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python))

.DEFAULT_GOAL := help

.PHONY: help run stop test bench loadtest lint messages clean

help:
	@sed -n 's/^#   /  /p' $(firstword $(MAKEFILE_LIST))

# A .venv that make did not build (no stamp) or whose Python is gone is rebuilt from scratch, so every
# package in it has its bytecode compiled (PYTHONDONTWRITEBYTECODE=1 means Python never writes it later).
$(STAMP): pyproject.toml
	@if [ -e $@ ] && $(VENV_PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Updating $(VENV) ($$($(VENV_PY) -V 2>&1))"; \
	else \
		py=; \
		for cand in $(PYTHON_CANDIDATES); do \
			if "$$cand" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
				py=$$("$$cand" -c 'import sys; print(sys.executable)'); break; \
			fi; \
		done; \
		if [ -z "$$py" ]; then \
			echo "Python 3.12 or newer is needed; install it (e.g. pyenv install 3.13) and re-run" >&2; \
			exit 1; \
		fi; \
		echo "Creating $(VENV) with $$py ($$("$$py" -V 2>&1))"; \
		"$$py" -m venv --clear $(VENV); \
	fi
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --python $(VENV_PY) --compile-bytecode -e '.[dev,embedded]'
	touch $@

# Each command is its own line without shell syntax, so make starts Python directly (the last one through
# `exec`): Ctrl-C reaches the Python process, which stops the embedded PostgreSQL before exiting. So does
# `kill` (SIGTERM) of make, which passes the signal on to it (helpdesk/embedded_db.py).
run: export DEBUG := $(DEBUG)
run: $(STAMP)
	$(VENV_PY) manage.py migrate --noinput --verbosity 0
	$(VENV_PY) manage.py seed_demo
	exec $(VENV_PY) manage.py runserver 127.0.0.1:8000 --demo

# The server stops by itself when the last process using it exits; only a process killed with SIGKILL
# (kill -9) can leave it running, until the next `make run` or `make test` ends or this target stops it.
stop:
	@if [ -x $(VENV_PY) ] && [ -e .data/postgres/postmaster.pid ]; then \
		$(VENV_PY) -m helpdesk.embedded_db stop; \
	else \
		echo "No embedded PostgreSQL is running in .data/postgres."; \
	fi

test: $(STAMP)
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

# wrk drives the load phase; without it the command falls back to its slower Python load generator.
bench: export DEBUG := $(DEBUG)
bench: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y wrk >/dev/null 2>&1 || \
		echo "wrk is not installed (apt-get install -y wrk): the load phase uses the Python load generator"
	$(VENV_PY) -m bench $(BENCH_ARGS)

# Not part of `make test` (it takes two minutes); tests/test_loadtest.py runs it at a tiny size.
loadtest: export DEBUG := $(DEBUG)
loadtest: $(STAMP)
	$(VENV_PY) -m bench --soak $(LOADTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# msgmerge marks a new string that resembles an old one "fuzzy" with the old translation: the statistics
# printed last show them (and untranslated ones); translate them, remove the fuzzy flag, run it again.
messages: export DEBUG := $(DEBUG)
messages: $(STAMP)
	$(VENV_PY) manage.py makemessages -l hr -l en --ignore=.venv --ignore=.data --ignore=static/vendor --ignore=staticfiles --ignore="*/tests/*" --ignore=tests --ignore=bench --no-obsolete
	$(VENV_PY) manage.py compilemessages --ignore=.venv
	@for po in locale/*/LC_MESSAGES/django.po; do printf '%s: ' $$po; msgfmt --statistics -o /dev/null $$po; done

clean: stop
	rm -rf $(VENV) .data
