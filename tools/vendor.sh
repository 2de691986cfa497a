#!/usr/bin/env bash
# Fetch the browser libraries the built book loads, so its pages work offline (file://, no CDN):
# require.js and the widget HTML manager (static ipywidgets) and MathJax 3 (formulas).
# Result: vendor/static/rnnkit-vendor/..., which the book build puts on html_static_path.
# Without npm this only warns; the build then falls back to the CDN for what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUIREJS=requirejs@2.3.8
HTML_MANAGER=@jupyter-widgets/html-manager@1.0.15   # ipywidgets 8 (widget protocol 2)
MATHJAX=mathjax@3.2.2
LAYOUT=2  # bump when the copied layout below changes

out=vendor/static/rnnkit-vendor
stamp=$out/.versions
want="$REQUIREJS $HTML_MANAGER $MATHJAX layout $LAYOUT"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0  # already vendored at these versions
fi
if ! command -v npm >/dev/null; then
    echo "vendor.sh: npm not found; the book will load require.js, widgets and MathJax from the CDN" >&2
    exit 0
fi

npm install --prefix vendor/npm --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
    --loglevel=error "$REQUIREJS" "$HTML_MANAGER" "$MATHJAX"
mods=vendor/npm/node_modules
rm -rf "$out" && mkdir -p "$out/html-manager"
cp "$mods/requirejs/require.js" "$out/require.js"
# embed-amd.js is self-contained in html-manager 1.x: base, controls and the manager in one file;
# its icon fonts sit beside it (tools/book_static/widgets-setup.js points the manager here).
dist="$mods/@jupyter-widgets/html-manager/dist"
cp "$dist/embed-amd.js" "$dist"/*.woff2 "$dist"/*.woff "$dist"/*.ttf "$dist"/*.eot "$dist"/*.svg "$out/html-manager/"
# MathJax loads fonts and extensions relative to its own script, so keep the whole es5 tree.
cp -r "$mods/mathjax/es5" "$out/mathjax"
rm -rf vendor/npm  # only the copies above are needed
echo "$want" > "$stamp"
echo "vendor.sh: vendored $want into $out"
