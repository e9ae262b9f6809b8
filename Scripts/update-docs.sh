#!/usr/bin/env bash
# Re-records the generated man page, completion scripts and help goldens from the command table,
# and the schema snapshot new databases are created from, from the migrations.
set -euo pipefail
cd "$(dirname "$0")/.."
SPOTLOG_RECORD=1 swift test --filter 'GeneratedDocsTests|SchemaSnapshotTests'
git status --short man completions Fixtures/golden Sources/SpotlogCore/Storage/SchemaSnapshot.swift
