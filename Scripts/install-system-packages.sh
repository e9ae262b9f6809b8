#!/usr/bin/env bash
# Installs the Debian packages spotlog needs to build, test and benchmark, or (with arguments)
# the packages named, when they are missing. Swift itself (6.1 or newer) must already be on PATH.
set -euo pipefail
# libcurl4-openssl-dev: curl.h for the SpotlogCurl shim, and libcurl.so.4, which it loads on first network use.
# libdeflate-dev: its CRC-32 checks the ZIP entries of an export (zlib1g-dev: ZIPFoundation inflates them).
# make: `make install`; groff-base: the tests render the man page with every warning on.
packages=(libsqlite3-dev zlib1g-dev libdeflate-dev libcurl4-openssl-dev python3 python3-venv sqlite3 time make groff-base)
(($#)) && packages=("$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update
    $sudo apt-get install -y "${missing[@]}"
fi
