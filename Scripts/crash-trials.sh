#!/usr/bin/env bash
# Crash trials: kill -9 a 200,000-play import at random moments, rerun it, and check that nothing
# was lost or counted twice.
#
#   Scripts/crash-trials.sh [TRIALS] [PLAYS]      (defaults: 20 trials, 200000 plays)
#
# First imports the synthetic export (../shared/bench/gen_export.py) into a clean database and
# records its play count and history answers. Then, each trial: a fresh database, an import
# killed with SIGKILL after a random delay (0 to 1.2 times a clean import's duration), and the
# same import run again to completion. A trial passes when the play count equals the clean
# import's, `PRAGMA integrity_check` says ok, importing once more adds 0 plays, and every history
# query's JSON equals the clean database's. Not part of CI (it takes minutes); prints one line per
# trial and a summary, and exits 1 if any trial failed.
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-20}"
plays="${2:-200000}"

work="${TMPDIR:-/tmp}/spotlog-crash-trials"
mkdir -p "$work"
export_zip="${TMPDIR:-/tmp}/spotlog-bench-import/export-$plays.zip"
if [[ ! -f "$export_zip" ]]; then
    mkdir -p "$(dirname "$export_zip")"
    python3 ../shared/bench/gen_export.py --plays "$plays" --out "$export_zip"
fi
swift build -c release --static-swift-stdlib --product spotlog >/dev/null
spotlog="$PWD/.build/release/spotlog"

export SPOTLOG_NOW="2026-01-01T00:00:00Z" TZ="Europe/Berlin"
queries=(summary top-artists top-tracks top-albums heatmap timeline streaks repeat-rate coverage discoveries recent)

fresh() { rm -f "$1" "$1-wal" "$1-shm"; }

# Every history answer of a database, as one text.
answers() {
    for query in "${queries[@]}"; do
        echo "== $query"
        "$spotlog" --db "$1" history "$query" --json --limit 50
    done
}

count() { sqlite3 "$1" "SELECT count(*) FROM plays"; }

clean="$work/clean.db"
fresh "$clean"
started=$(date +%s%N)
"$spotlog" --db "$clean" import --quiet "$export_zip"
clean_ms=$(( ($(date +%s%N) - started) / 1000000 ))
clean_count=$(count "$clean")
answers "$clean" > "$work/clean.answers"
echo "clean import: $clean_count plays in $clean_ms ms"

failed=0
for trial in $(seq 1 "$trials"); do
    db="$work/trial.db"
    fresh "$db"
    delay_ms=$(( RANDOM % (clean_ms * 12 / 10 + 1) ))
    "$spotlog" --db "$db" import --quiet "$export_zip" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then state="killed"; else state="finished first"; fi
    wait "$pid" 2>/dev/null || true
    before=$( [[ -f "$db" ]] && count "$db" 2>/dev/null || echo 0 )
    "$spotlog" --db "$db" import --quiet "$export_zip" >/dev/null
    problems=()
    [[ "$(count "$db")" == "$clean_count" ]] || problems+=("count $(count "$db") != $clean_count")
    [[ "$(sqlite3 "$db" "PRAGMA integrity_check")" == "ok" ]] || problems+=("integrity_check failed")
    again=$("$spotlog" --db "$db" import --json "$export_zip" | python3 -c 'import json,sys; print(json.load(sys.stdin)["inserted"])')
    [[ "$again" == "0" ]] || problems+=("re-import inserted $again")
    answers "$db" | cmp -s - "$work/clean.answers" || problems+=("history answers differ")
    if ((${#problems[@]})); then
        failed=$((failed + 1))
        echo "trial $trial: FAIL after ${delay_ms} ms ($state, $before plays at the kill): ${problems[*]}"
    else
        echo "trial $trial: ok ($state after ${delay_ms} ms, $before plays at the kill)"
    fi
done
echo "$((trials - failed)) passed, $failed failed"
((failed == 0))
