#!/usr/bin/env bash
# The browser tests' browser: Debian's chromium and chromium-driver (tests/browser drives it
# through chromedriver). Installs them when missing (apt-get, as root or with sudo) and prints
# their versions; exits non-zero when they cannot be had.
#   scripts/browser.sh            install if missing, print versions
#   scripts/browser.sh --check    only check and print versions (no install)
set -euo pipefail

missing=()
for pkg in chromium chromium-driver; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "${1:-}" = "--check" ]; then
    echo "missing Debian packages: ${missing[*]} (run scripts/browser.sh to install them)" >&2
    exit 1
  fi
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "installing ${missing[*]} needs root or sudo" >&2; exit 1; }
    sudo_cmd="sudo"
  fi
  echo "== installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null || { echo "$tool is not on PATH after installing" >&2; exit 1; }
done
# Debian's chromium wrapper prints a harmless "[: ...: unexpected operator" on stderr.
chromium --version 2>/dev/null
chromedriver --version
