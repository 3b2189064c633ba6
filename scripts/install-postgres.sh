#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries for the PostgreSQL store tests (tests/pg_server.py starts
# a throwaway cluster from them; nothing else uses them). Skips quietly when initdb is already present.
set -u
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then exit 0; fi
exec bash "$(dirname "$0")/apt-install.sh" postgresql "the PostgreSQL store tests"
