# cogov — make demo | test | viz | bench | lint
# Creates .venv with a Python 3.12+ interpreter when missing. Under pyenv a `python3.12` shim may
# exist without working, so every candidate is tested by running it.

SHELL := /bin/bash
VENV  ?= .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT   ?= results/demo
ASSETS ?= .solara-assets
SCENARIO ?= one-core-four-element

FIND_PYTHON = for c in $$PYTHON python3.13 python3.12 python3; do \
	  [ -n "$$c" ] || continue; \
	  if $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then echo $$c; exit 0; fi; \
	done; \
	root=$$(pyenv root 2>/dev/null); \
	for c in $$root/versions/3.12*/bin/python3 $$root/versions/3.13*/bin/python3; do \
	  [ -x "$$c" ] && $$c -c '' 2>/dev/null && { echo $$c; exit 0; }; \
	done; \
	echo "no Python >= 3.12 found; install one or set PYTHON=/path/to/python3.12" >&2; exit 1

.PHONY: demo test viz bench lint venv clean assets docs patterns regression

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then py=$$($(FIND_PYTHON)) && echo "creating $(VENV) with $$py" && $$py -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/cogov run one-core-four-element --seed 7 --out $(OUT) --overwrite

# Solara's browser assets, fetched once from the npm registry so the visualizer works offline.
assets:
	@bash scripts/fetch_solara_assets.sh $(ASSETS) || echo "warning: no Solara assets (is npm installed?); browser tests will be skipped"

viz: $(STAMP) assets
	SOLARA_ASSETS_PROXY_CACHE_DIR=$(CURDIR)/$(ASSETS) $(VENV)/bin/cogov viz $(SCENARIO)

test: $(STAMP) assets
	$(VENV)/bin/ruff check model experiments scenarios viz benchmarks tests scripts
	SOLARA_ASSETS_PROXY_CACHE_DIR=$(CURDIR)/$(ASSETS) $(PY) -m pytest -q -n 2 tests; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

bench: $(STAMP)
	$(PY) benchmarks/bench.py

docs: $(STAMP)
	$(PY) -c "from pathlib import Path; from cogov.model import catalogue, parameters; \
	p = Path('docs/ODD.md'); text = p.read_text(encoding='utf-8'); \
	p.write_text(catalogue.rewrite_block(parameters.rewrite_block(text)), encoding='utf-8')"

patterns: $(STAMP)
	$(VENV)/bin/cogov validate-patterns --workers 2 --out results/patterns --overwrite

# Regenerate tests/regression/ after a change that alters results on purpose (say why).
regression: $(STAMP)
	$(PY) scripts/regression.py

lint: $(STAMP)
	$(VENV)/bin/ruff check model experiments scenarios viz benchmarks tests scripts

clean:
	rm -rf $(VENV) results build *.egg-info
