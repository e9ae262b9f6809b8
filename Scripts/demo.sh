#!/usr/bin/env bash
# Builds spotlog (release) and runs its main job on the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-system-packages.sh
swift build -c release
database="${SPOTLOG_DEMO_DB:-$(mktemp -d)/demo.db}"
.build/release/spotlog import --db "$database" Fixtures/sample-export.zip
.build/release/spotlog admin status --db "$database"
