#!/usr/bin/env bash
# The execution cache's timings (issue 19) at SCALE (default cpu): a build from an empty cache,
# a second one with nothing changed, one after a markdown edit, one after a code edit (both in
# chapter 04), one after a change to MODULE (default rnnkit/book/syntax.py). Each is the command
# `make book` runs, on a copy of the book's sources in _build/timing/ (the checkout's chapters
# stay as they are); MODULE gets a comment line for the last build and is then put back.
#     bash tools/time_book_cache.sh [SCALE] [MODULE]
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-cpu}
module=${2:-rnnkit/book/syntax.py}
out=_build/timing
book=$out/book
chapter=$book/chapters/04_shakespeare.ipynb
rm -rf "$out" && mkdir -p "$book" && cp -r _config.yml _toc.yml chapters "$book/"

TIMEFORMAT="wall %R s"
build() {
    echo "== $1"
    time .venv/bin/python tools/build_book.py --scale "$scale" --book "$book" --out "$out" | grep -v ' cached$'
}
edit() {  # edit CELL_TYPE: append a line to the first cell of that type in chapter 04
    .venv/bin/python - "$chapter" "$1" <<'PY'
import sys, nbformat
path, kind = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
cell = next(c for c in nb.cells if c.cell_type == kind and "parameters" not in c.metadata.get("tags", []))
cell.source += "\n\nA line added by time_book_cache.sh." if kind == "markdown" else "\n# added by time_book_cache.sh"
nbformat.write(nb, path)
PY
}

build "from an empty cache: every chapter executed"
build "again, nothing changed (target: under 60 s, 0 executed)"
edit markdown
build "a markdown edit in chapter 04 (target: under 60 s, 0 executed)"
grep -q "A line added by time_book_cache.sh." "$out/_build/html/chapters/04_shakespeare.html" \
    && echo "the page shows the edit" || echo "THE PAGE DOES NOT SHOW THE EDIT"
edit code
build "a code edit in chapter 04 (target: only 04 executed)"
cp "$module" "$out/module.orig"
trap 'cp "$out/module.orig" "$module"' EXIT
echo "# added by time_book_cache.sh" >> "$module"
build "$module changed (target: only the chapters that import it)"
