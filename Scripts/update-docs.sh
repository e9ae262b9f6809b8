#!/usr/bin/env bash
# Re-records the generated man page, completion scripts and help goldens from the command table.
set -euo pipefail
cd "$(dirname "$0")/.."
SPOTLOG_RECORD=1 swift test --filter GeneratedDocsTests
git status --short man completions Fixtures/golden
