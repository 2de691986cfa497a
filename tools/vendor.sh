#!/usr/bin/env bash
# Fetch the browser libraries the built book loads, so its pages work offline (file://, no CDN):
# KaTeX (formulas, typeset by tools/book_static/math.js), and require.js and the widget HTML
# manager for a page with saved ipywidgets state (the book has none today: its slider is HTML).
# Result: vendor/static/rnnkit-vendor/..., which the book build puts on html_static_path, and
# vendor/test/axe.min.js (axe-core, the accessibility checker tests/test_book.py runs in pages).
# Without npm this only warns; the build then falls back to the CDN for what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUIREJS=requirejs@2.3.8
HTML_MANAGER=@jupyter-widgets/html-manager@1.0.15   # ipywidgets 8 (widget protocol 2)
KATEX=katex@0.16.22
AXE=axe-core@4.14.1
LAYOUT=5  # bump when the copied layout below changes

out=vendor/static/rnnkit-vendor
stamp=$out/.versions
want="$REQUIREJS $HTML_MANAGER $KATEX $AXE layout $LAYOUT"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0  # already vendored at these versions
fi
if ! command -v npm >/dev/null; then
    echo "vendor.sh: npm not found; the book will load KaTeX, require.js and widgets from the CDN" >&2
    exit 0
fi

npm install --prefix vendor/npm --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
    --loglevel=error "$REQUIREJS" "$HTML_MANAGER" "$KATEX" "$AXE"
mods=vendor/npm/node_modules
rm -rf "$out" && mkdir -p "$out/html-manager" "$out/katex/fonts"
cp "$mods/requirejs/require.js" "$out/require.js"
# embed-amd.js is self-contained in html-manager 1.x: base, controls and the manager in one file;
# its icon fonts sit beside it (tools/book_static/widgets-setup.js points the manager here).
# Browsers that run it all read woff2, so the older font formats are left out. The book copies
# the manager only when a page has saved widget state (build_book.py).
dist="$mods/@jupyter-widgets/html-manager/dist"
cp "$dist/embed-amd.js" "$dist"/*.woff2 "$out/html-manager/"
sed -i '/sourceMappingURL=/d' "$out/html-manager/embed-amd.js"  # its map is not in the package
# KaTeX: its script, CSS and woff2 fonts (the CSS names woff2 first; the woff and ttf copies
# are never fetched by a browser that reads woff2, which every current one does).
cp "$mods/katex/dist/katex.min.js" "$mods/katex/dist/katex.min.css" "$out/katex/"
cp "$mods/katex/dist/fonts"/*.woff2 "$out/katex/fonts/"
rm -rf vendor/test && mkdir -p vendor/test
cp "$mods/axe-core/axe.min.js" vendor/test/  # tests only: never part of the site
rm -rf vendor/npm  # only the copies above are needed
echo "$want" > "$stamp"
echo "vendor.sh: vendored $want into $out"
