#!/usr/bin/env bash
# Runs every test: installs system packages and the Python test helpers, then `swift test`; with no
# arguments, the end-to-end suites once more against the release binary. Arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-system-packages.sh
if [[ ! -x .venv/bin/python3 ]]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r Tests/requirements.txt
swift build --build-tests
export SPOTLOG_TEST_PYTHON="$PWD/.venv/bin/python3"
swift test --skip-build "$@"
if (($# == 0)); then
    # The shipped binary is linked differently (lld, packed relocations, stripped; see
    # Package.swift): run the end-to-end suites again against it.
    swift build -c release --static-swift-stdlib --product spotlog
    SPOTLOG_TEST_BINARY="$PWD/.build/release/spotlog" swift test --skip-build \
        --filter 'EndToEndTests|NetworkLoadingTests'
fi
