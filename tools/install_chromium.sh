#!/usr/bin/env bash
# tests/test_book.py opens the built book in headless Chromium (Debian's package, driven by
# Playwright's Python client). Install it when it is missing; do nothing otherwise.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium
