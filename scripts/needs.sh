#!/usr/bin/env bash
# What the tests need from the distribution: PostgreSQL (server and psql), Chromium and
# ChromeDriver. Installs the missing Debian/Ubuntu packages itself when it may (root, or sudo
# without a password); otherwise prints one line naming the packages and the command, and fails.
# Building needs nothing of the kind: SQLite and PostgreSQL's client library are compiled in.
#   scripts/needs.sh                 the test suite's packages
#   scripts/needs.sh PACKAGE ...     these
set -euo pipefail
packages=("$@")
[ "${#packages[@]}" -gt 0 ] || packages=(postgresql chromium chromium-driver)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

install=(apt-get install -y -qq --no-install-recommends "${missing[@]}")
if ! command -v apt-get >/dev/null; then
  echo "missing: ${missing[*]} (no apt-get here: install them with your system's package manager)" >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  sudo_cmd=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo_cmd=(sudo)
else
  echo "missing: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "== installing ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" "${install[@]}" >/dev/null
for pkg in "${missing[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || { echo "could not install $pkg" >&2; exit 1; }
done
