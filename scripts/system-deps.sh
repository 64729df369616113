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
apt-get update -q >/dev/null || echo "apt-get update failed; trying with the package lists at hand" >&2
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
    # One package this distribution lacks must not cost the others: install them one by one.
    # Tests that need a missing one (PostgreSQL, Chromium) skip and say why.
    for pkg in "${missing[@]}"; do
        apt-get install -y -q --no-install-recommends "$pkg" >/dev/null \
            || echo "warning: could not install $pkg" >&2
    done
fi
