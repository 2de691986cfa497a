# The two commands of the README:  `make book`  and  `make test`.
# Each creates its own virtual environment (.venv) and installs what it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SCALE  ?= auto

# Corpora: use the sibling mirror folder when it exists (this machine, CI), else download.
RNNKIT_MIRROR ?= $(if $(wildcard ../shared/data/SOURCES.md),$(abspath ../shared/data))
export RNNKIT_MIRROR

.PHONY: book test venv bench clean

venv: $(VENV)/.stamp
$(VENV)/.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch pinned here only: the CPU wheel; an unpinned torch pulls the CUDA build.
	$(PY) -m pip install -q "torch==2.13.0"
	$(PY) -m pip install -q -e ".[book,test]"
	touch $@

test: venv
	OMP_NUM_THREADS=1 $(PY) -m pytest -q tests

# The book: fetch the browser libraries for offline pages (once), execute every chapter once at
# SCALE with papermill, build the HTML into _build/html.  `make book SCALE=smoke` to preview.
book: venv vendor
	$(PY) tools/build_book.py --scale $(SCALE)

.PHONY: vendor
vendor:
	bash tools/vendor.sh

bench: venv
	OMP_NUM_THREADS=2 $(PY) benchmarks/run.py

clean:
	rm -rf _build
