# The README's two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
PORT   ?= 5000
STAMP  := $(VENV)/.installed
#: pytest-xdist workers for `make test`: 3 on two cores, since many tests wait on processes,
#: SMTP and Redis rather than compute (TEST_WORKERS=0 runs the suite in one process); a worker
#: that runs out of tests takes some of another's (worksteal), so no worker finishes long alone
TEST_WORKERS ?= 3

.PHONY: install run test lint translations bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# setuptools notes on every editable install of a flat layout that a same-named folder could
	@# shadow the package; that is how this checkout is meant to run, so the note is left out
	PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Start everything on http://127.0.0.1:$(PORT): web, worker, embedded Redis, SQLite, demo data.
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@PORT=$(PORT) exec $(PY) -m campaign.devrun

## Install, then run the whole test suite (embedded Redis and SQLite unless the environment says otherwise).
test: install
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal

lint: install
	$(VENV)/bin/ruff check campaign tests bench worker.py wsgi.py
	$(VENV)/bin/ruff format --check campaign tests bench worker.py wsgi.py
	$(VENV)/bin/mypy

## Re-extract the strings, create missing catalogues of the default languages, merge into every one.
translations: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	for lang in $$($(PY) -c 'from campaign.config import LANGUAGES; print(LANGUAGES.replace(",", " "))'); do \
	  [ $$lang = en ] || [ -d translations/$$lang ] || \
	    $(VENV)/bin/pybabel init -i translations/messages.pot -d translations -l $$lang; \
	done
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

bench: install
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) bench/sign.py
	$(PY) bench/fanout.py --workers 2

clean:
	rm -rf $(VENV) instance .pytest_cache
