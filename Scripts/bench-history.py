#!/usr/bin/env python3
"""History benchmark: every `spotlog history` query on a 1,000,000-play database.

    Scripts/bench-history.py [--plays N] [--runs N]

Builds a database from ../shared/bench/gen_export.py --plays N (the export is cached), imported with the
release build, then runs each query as a whole process --runs times and prints the median wall
time against the 50 ms target. SPOTLOG_NOW is fixed at the end of the generated data so relative
periods (4w, 1y) cover real plays.
"""
import argparse, os, pathlib, statistics, subprocess, time

from benchsupport import release_spotlog, synthetic_export, work_folder
QUERIES = [
    ["recent"], ["top-artists"], ["top-tracks"], ["top-albums"],
    ["top-artists", "--period", "1y"], ["top-tracks", "--period", "2025"], ["top-albums", "--period", "4w"],
    ["top-tracks", "--by", "time", "--tz", "Asia/Kathmandu", "--period", "6m"],
    ["heatmap"], ["heatmap", "--tz", "Asia/Kolkata", "--period", "1y"], ["timeline"], ["timeline", "--per", "day", "--period", "1y"],
    ["streaks"], ["summary"], ["summary", "--period", "1y"], ["repeat-rate"], ["coverage"], ["discoveries"],
    ["discoveries", "--of", "tracks", "--period", "1y"], ["search", "artist 00012"], ["search", "beyonce", "--period", "2024"],
    ["forgotten"], ["forgotten", "--by", "artist", "--not-since", "1y", "--min-plays", "50"],
    ["artist", "Beyoncé"], ["artist", "beyonce", "--period", "1y", "--tz", "Asia/Kathmandu"], ["track", "Track 000001"],
    ["album", "Album 08088"], ["compare", "--period", "1y"], ["compare", "--period", "2025", "--vs", "2020"],
    ["wrapped", "--period", "2025"], ["wrapped"], ["skips"], ["skips", "--period", "6m"], ["sessions"],
    ["sessions", "--period", "1y", "--gap", "10m"],
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plays", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = work_folder("spotlog-bench-history")
    spotlog = release_spotlog()
    # Built afresh by this build every time (a couple of seconds): a database that an older
    # build made and a newer one migrated measures its layout, not the queries.
    database = work / f"history-{args.plays}.db"
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(f"{database}{suffix}").unlink(missing_ok=True)
    export = synthetic_export(work, args.plays)
    started = time.perf_counter()
    subprocess.run([spotlog, "import", "--quiet", "--db", database, export], check=True, stdout=subprocess.DEVNULL)
    print(f"built {database} in {time.perf_counter() - started:.1f} s")
    environment = dict(os.environ, SPOTLOG_NOW="2026-02-01T00:00:00Z", TZ="Europe/Berlin")
    print(f"{'query':60} {'median ms':>10}  {'max ms':>7}")
    worst = 0.0
    for query in QUERIES:
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([spotlog, "history", *query, "--db", database, "--json"], check=True, env=environment,
                           stdout=subprocess.DEVNULL)
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        worst = max(worst, median)
        flag = "" if median <= 50 else "  over target"
        print(f"{' '.join(query):60} {median:10.1f}  {max(times):7.1f}{flag}")
    print(f"slowest median: {worst:.1f} ms (target <= 50 ms)")


if __name__ == "__main__":
    main()
