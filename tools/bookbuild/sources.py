"""The book's sources: the chapters in _toc.yml's order, copied into the folder the build runs in.

The copy keeps the checkout clean (the committed notebooks have no outputs) and puts the browser
libraries (vendor/, from tools/vendor.sh) and our own small scripts (tools/book_static/, served as
rnnkit-static/) on the pages' static path, falling back to the CDN for a file not vendored.
"""
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BOOK_SOURCES = ["_config.yml", "_toc.yml", "chapters"]
VENDOR = ROOT / "vendor" / "static"  # filled by tools/vendor.sh
OWN_STATIC = ROOT / "tools" / "book_static"  # our own small scripts, served as rnnkit-static/
STATIC = "_vendor"  # the book's static folder (html_static_path in _config.yml)
# Used only for a file tools/vendor.sh could not fetch (no npm): the page then needs the network.
CDN = {
    "rnnkit-vendor/require.js": "https://cdn.jsdelivr.net/npm/requirejs@2.3.8/require.js",
    "rnnkit-vendor/html-manager/embed-amd.js":
        "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.15/dist/embed-amd.js",
    "rnnkit-vendor/katex/katex.min.js": "https://cdn.jsdelivr.net/npm/katex@0.16.22/dist/katex.min.js",
}


def toc_files(book):
    """The source files listed in `book`/_toc.yml, in reading order."""
    toc = yaml.safe_load((Path(book) / "_toc.yml").read_text())
    names = []

    def walk(entry):
        if "file" in entry or "root" in entry:
            names.append(entry.get("file") or entry["root"])
        for key in ("parts", "chapters", "sections"):
            for sub in entry.get(key, []):
                walk(sub)

    walk(toc)
    files = []
    for name in names:
        found = [p for p in (Path(book) / f"{name}{s}" for s in ("", ".ipynb", ".md")) if p.is_file()]
        if not found:
            raise FileNotFoundError(f"_toc.yml lists {name!r} but there is no such file")
        files.append(found[0])
    return files


def notebooks(book):
    """The chapters that are notebooks (the ones to execute)."""
    return [p for p in toc_files(book) if p.suffix == ".ipynb"]


def prepare_sources(dest, book=ROOT):
    """Copy the book sources to `dest`, with the vendored browser libraries on the static path."""
    dest = Path(dest)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in BOOK_SOURCES:
        src = Path(book) / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    shutil.copytree(OWN_STATIC, dest / STATIC / "rnnkit-static")
    (dest / STATIC / "rnnkit-vendor").mkdir()
    link_vendored(dest, ["katex"])  # the widget manager joins later, only if a page needs it
    _fall_back_to_cdn(dest / "_config.yml")
    return dest


def link_vendored(src, names):
    """Put the vendored libraries `names` on the static path of the book at `src` (symlinks)."""
    for name in names:
        if (VENDOR / "rnnkit-vendor" / name).exists() and not (src / STATIC / "rnnkit-vendor" / name).exists():
            (src / STATIC / "rnnkit-vendor" / name).symlink_to(VENDOR / "rnnkit-vendor" / name)


def _fall_back_to_cdn(config_path):
    """Point the config at the CDN for each vendored file that is missing."""
    config = yaml.safe_load(config_path.read_text())
    sphinx = config["sphinx"]["config"]
    missing = [path for path in CDN if not (VENDOR / path).is_file()]
    if not missing:
        return
    print(f"build_book: not vendored (run tools/vendor.sh), using the CDN for: {', '.join(missing)}",
          file=sys.stderr)
    if "rnnkit-vendor/katex/katex.min.js" in missing:  # tools/book_static/math.js loads it from there
        sphinx["mathjax_options"]["data-katex"] = CDN["rnnkit-vendor/katex/katex.min.js"].rsplit("/", 1)[0]
    scripts = sphinx["nb_ipywidgets_js"]
    if "rnnkit-vendor/html-manager/embed-amd.js" in missing:
        for attrs in scripts.values():  # widgets-setup.js: where the manager's fonts are
            if "data-manager-dist" in attrs:
                attrs["data-manager-dist"] = CDN["rnnkit-vendor/html-manager/embed-amd.js"].rsplit("/", 1)[0]
    sphinx["nb_ipywidgets_js"] = {CDN.get(k, k) if k in missing else k: v for k, v in scripts.items()}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
