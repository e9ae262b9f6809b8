#!/usr/bin/env bash
# Runs every test: installs system packages and the Python test helpers, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-system-packages.sh
if [[ ! -x .venv/bin/python3 ]]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r Tests/requirements.txt
swift build --build-tests
SPOTLOG_TEST_PYTHON="$PWD/.venv/bin/python3" swift test --skip-build "$@"
