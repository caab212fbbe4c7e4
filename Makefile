# The commands people actually run. `make demo` sets everything up from a fresh clone and runs the
# pipeline on sample data; `make test` runs the test suite (`make test-fast`: all but the end-to-end runs,
# under a minute); `make lint` runs the linters CI runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PERSONS ?= 2000
SEED ?= 7

.PHONY: demo test test-fast lint install ui bench clean

demo: install  # KPIs as of the sample's "now" (its manifest says 2025-06-30: the last collection round is March 2025)
	$(BIN)/alumni sample --out $${ALUMNI_DROPS:-raw_drops} --persons $(PERSONS) --seed $(SEED)
	$(BIN)/alumni run

test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile tests

test-fast: install  # every test not marked e2e (tests/conftest.py marks them fast): about 25 s on 2 cores
	$(BIN)/python -m pytest -m fast tests

lint: install  # what .pre-commit-config.yaml and CI run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	ALUMNI_WAREHOUSE=:memory: $(BIN)/sqlfluff lint dbt_project  # the dbt templater opens a warehouse: an empty one will do

install: $(VENV)/.installed

# setuptools' note on editable installs (a folder named like the package could shadow it) is filtered:
# the packages are found by name (pyproject.toml) and the project root holds no such folder
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation:UserWarning" \
	  $(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	$(BIN)/python -c "import jionlp" > /dev/null  # jionlp unpacks its dictionaries on first import: once, here, not in parallel tests
	touch $@

ui: install
	$(BIN)/alumni ui

bench: install  # the whole pipeline at 100k, 300k and 1M source rows beside Splink: about 45 min on 2 cores
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[bench]"
	$(BIN)/python bench/scale.py

clean:
	rm -rf warehouse published .dagster_home
