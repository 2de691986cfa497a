# The two commands of the README:  `make book`  and  `make test`.
# Each creates its own virtual environment (.venv) and installs what it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SCALE  ?= auto

# Corpora: the sibling mirror folder ../shared/data when it exists (this machine, CI), else
# download. The rule lives in tools/bookbuild/mirror.py (the tests and the build read it too).
RNNKIT_MIRROR := $(shell $(PYTHON) tools/bookbuild/mirror.py)
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

# two workers, one per core (tests/conftest.py keeps each smoke book's tests on one worker)
test: venv vendor
	OMP_NUM_THREADS=1 $(PY) -m pytest -q -n 2 --dist loadgroup tests

# The book: fetch the browser libraries for offline pages (once), execute at SCALE with papermill
# the chapters whose code, parameters or imported library changed (the others come from the cache,
# _build/cache), build the HTML into _build/html.  `make book SCALE=smoke` to preview;
# `make book FRESH=1` executes every chapter. `make book INSTRUCTOR=1`: the instructor's book, every
# exercise solved from solutions/ with its notes, in _build/instructor/_build/html (own cache).
book: venv vendor
	$(PY) tools/build_book.py --scale $(SCALE)$(if $(filter-out 0 no false,$(FRESH)), --fresh)$(if $(filter-out 0 no false,$(INSTRUCTOR)), --instructor)

.PHONY: vendor
vendor:
	bash tools/vendor.sh

bench: venv
	OMP_NUM_THREADS=2 $(PY) benchmarks/run.py

clean:
	rm -rf _build
