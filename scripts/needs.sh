#!/usr/bin/env bash
# What the tests need from outside: PostgreSQL (server and psql), Chromium and ChromeDriver from
# the distribution, and axe-core (the browser tests' accessibility checker) from the npm registry.
# Installs the missing Debian/Ubuntu packages itself when it may (root, or sudo without a
# password); otherwise prints one line naming the packages and the command, and fails.
# axe-core is fetched with `npm pack` into target/test-deps/ (never committed; the browser tests
# read target/test-deps/axe-core/axe.min.js, or the file AXE_CORE_JS names).
# Building needs nothing of the kind: SQLite and PostgreSQL's client library are compiled in.
#   scripts/needs.sh                 the test suite's packages and axe-core
#   scripts/needs.sh PACKAGE ...     these (axe-core is one of the names it takes)
set -euo pipefail
cd "$(dirname "$0")/.."
packages=("$@")
[ "${#packages[@]}" -gt 0 ] || packages=(postgresql chromium chromium-driver axe-core)

# axe-core 4 from the npm registry: the tarball's dist/axe.min.js, checked to be axe.
axe_core() {
  local dir=target/test-deps/axe-core
  [ -s "$dir/axe.min.js" ] && return 0
  command -v npm >/dev/null || { echo "missing: npm (to fetch axe-core for the browser tests)" >&2; return 1; }
  local tmp
  tmp="$(mktemp -d)"
  echo "== fetching axe-core@4 from the npm registry" >&2
  (cd "$tmp" && npm pack --silent axe-core@4 >/dev/null)
  tar -xzf "$tmp"/axe-core-*.tgz -C "$tmp" package/axe.min.js package/package.json
  grep -q '"name": "axe-core"' "$tmp/package/package.json" || { echo "not axe-core" >&2; return 1; }
  mkdir -p "$dir"
  mv "$tmp/package/axe.min.js" "$dir/axe.min.js"
  rm -rf "$tmp"
}
debs=()
for pkg in "${packages[@]}"; do
  if [ "$pkg" = axe-core ]; then axe_core; else debs+=("$pkg"); fi
done
[ "${#debs[@]}" -gt 0 ] || exit 0
packages=("${debs[@]}")

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
