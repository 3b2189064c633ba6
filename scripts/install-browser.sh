#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (Playwright drives the system browser; it never
# downloads its own). Skips quietly when Chromium is already present; warns, without failing, when it
# cannot be installed (the browser tests then skip with that reason).
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
exec bash "$(dirname "$0")/apt-install.sh" chromium "browser tests"
