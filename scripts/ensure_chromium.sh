#!/bin/sh
# Make sure Debian's headless Chromium is at /usr/bin/chromium for the browser tests.
# Idempotent and quiet when it is already there. Installs it only when running as root with apt;
# anywhere else it says why it cannot, and the browser tests skip with that reason (or fail when
# CI=true, so CI never silently skips them).
set -eu
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing and this is not root with apt-get; the browser tests will skip (install Debian's chromium package to run them)." >&2
    exit 0
fi
echo "ensure_chromium: installing Debian's chromium package (browser tests)..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends chromium >/dev/null
fi
test -x "$CHROMIUM"
