#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (Playwright drives the system browser; it never
# downloads its own). Skips quietly when Chromium is already present; warns, without failing, when it
# cannot be installed (the browser tests then skip with that reason).
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; browser tests will be skipped" >&2
else
  echo "warning: chromium not found and cannot apt-get install it; browser tests will be skipped" >&2
fi
exit 0
