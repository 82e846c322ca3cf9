# Two entry points for a newcomer: `make test` and `make demo`. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: test demo install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bantin needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Type-check first (packages and settings in pyproject.toml's [tool.mypy]), then the tests.
test: $(STAMP)
	$(PY) -m mypy
	$(PY) -m pytest -q

# The whole product offline: a sample news site on 127.0.0.1, the real pipeline, a console chat.
# demo.db is recreated on every run. Extra options: make demo DEMO_ARGS="--script FILE".
DEMO_ARGS ?=
demo: $(STAMP)
	$(VENV)/bin/bantin demo $(DEMO_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache build *.egg-info demo.db demo.db-wal demo.db-shm
