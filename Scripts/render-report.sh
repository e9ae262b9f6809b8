#!/usr/bin/env bash
# Renders `spotlog report` of the bundled sample to a PNG with headless Chromium: the screenshot
# the README shows (docs/report.png). Installs chromium (and CJK fonts for the sample's names).
#   Scripts/render-report.sh [OUTPUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
output="${1:-docs/report.png}"
Scripts/install-system-packages.sh chromium fonts-noto-cjk
swift build --product spotlog
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SPOTLOG_DB="$work/sample.db" SPOTLOG_NOW="2025-06-05T12:00:00Z"
.build/debug/spotlog import Fixtures/sample-export.zip --quiet
.build/debug/spotlog report --period all --tz Europe/Berlin --out "$work/report.html"
# --no-sandbox: Chromium's sandbox needs user namespaces, which containers often lack.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1900 \
    --screenshot="$PWD/$output" "file://$work/report.html" 2>/dev/null
echo "wrote $output"
