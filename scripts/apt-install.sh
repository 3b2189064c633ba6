#!/usr/bin/env bash
# apt-install.sh PACKAGE WHAT: installs a Debian package some tests need; never fails. When it cannot
# install (not root, no apt-get, no network), it warns that WHAT will be skipped — those tests then
# skip with their own reason.
set -u
package=$1
what=$2
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null) \
    || echo "warning: could not install $package; $what will be skipped" >&2
else
  echo "warning: $package not found and cannot apt-get install it; $what will be skipped" >&2
fi
exit 0
