#!/usr/bin/env bash
# Installs the Debian packages given as arguments when they are missing (CJK fonts, Qt's X
# libraries, Xvfb; for the tests also PostgreSQL and Chromium). Waits for another apt/dpkg run
# to finish instead of failing on its lock, and fails loudly, listing them, when any package is
# still missing afterwards (or cannot be installed here: not root, no apt).
set -euo pipefail
LOCK_WAIT_S=600
missing_of() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || echo "$pkg"
    done
}
mapfile -t missing < <(missing_of "$@")
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "error: these packages are missing; install them first (as root): ${missing[*]}" >&2
    exit 1
fi
echo "Installing: ${missing[*]} (waiting up to ${LOCK_WAIT_S} s if another apt is running)"
export DEBIAN_FRONTEND=noninteractive
apt=(apt-get -q -o "DPkg::Lock::Timeout=$LOCK_WAIT_S")
"${apt[@]}" update >/dev/null || echo "warning: apt-get update failed; using the lists at hand" >&2
if ! "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null; then
    # One package this distribution lacks must not cost the others: install them one by one.
    for pkg in "${missing[@]}"; do
        "${apt[@]}" install -y --no-install-recommends "$pkg" >/dev/null || true
    done
fi
mapfile -t still < <(missing_of "${missing[@]}")
if [ ${#still[@]} -ne 0 ]; then
    echo "error: could not install: ${still[*]}" >&2
    exit 1
fi
