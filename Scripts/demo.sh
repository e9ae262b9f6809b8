#!/usr/bin/env bash
# Sets up, builds spotlog (release) and runs its main job on the bundled sample export:
# import it into a fresh database, then show the top artists.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-system-packages.sh
swift build -c release --static-swift-stdlib --product spotlog
database="${SPOTLOG_DEMO_DB:-$(mktemp -d)/demo.db}"
.build/release/spotlog import --db "$database" Fixtures/sample-export.zip
echo
.build/release/spotlog history top-artists --db "$database"
