#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries for the PostgreSQL store tests (tests/pg_server.py starts
# a throwaway cluster from them; nothing else uses them). Skips quietly when initdb is already present;
# warns, without failing, when it cannot be installed (those tests then skip with that reason).
set -u
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || echo "warning: could not install postgresql; PostgreSQL store tests will be skipped" >&2
else
  echo "warning: PostgreSQL (initdb) not found and cannot apt-get install it; PostgreSQL store tests will be skipped" >&2
fi
exit 0
