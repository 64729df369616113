#!/usr/bin/env bash
# Installs the Debian packages the till needs (CJK fonts, Qt's X libraries, Xvfb, PostgreSQL,
# Chromium for the H5 page tests) when they are missing. Needs root and apt; elsewhere it only
# says what is missing.
set -euo pipefail
missing=()
for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Please install these packages first: ${missing[*]}" >&2
    exit 0
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
