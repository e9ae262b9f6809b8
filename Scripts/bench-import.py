#!/usr/bin/env python3
"""Import benchmark: `spotlog import` (release build) against the reference importer.

    Scripts/bench-import.py [--plays N] [--runs N]

Generates a synthetic export with ../shared/bench/gen_export.py, then times
../shared/bench/reference_import.py and `spotlog import` on it, alternating, each into a fresh
database (with `sync` before every timed run so one run's write-back does not slow the next).
Prints both medians, the ratio, and spotlog's peak RSS (from /usr/bin/time -v).
"""
import argparse, os, pathlib, statistics, subprocess, sys, time, zipfile

from benchsupport import BENCH, release_spotlog, synthetic_export, work_folder


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd):
    os.sync()
    start = time.perf_counter()
    run(cmd, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def fresh(path):
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(str(path) + suffix).unlink(missing_ok=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plays", type=int, default=200000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = work_folder("spotlog-bench-import")
    export = synthetic_export(work, args.plays)
    venv = work / "venv"
    if not (venv / "bin" / "python3").exists():
        run([sys.executable, "-m", "venv", venv])
        run([venv / "bin" / "pip", "install", "--quiet", "ijson"])
    spotlog = release_spotlog()

    reference_db, spotlog_db = work / "reference.db", work / "spotlog.db"
    reference_times, spotlog_times = [], []
    for _ in range(args.runs):
        fresh(reference_db)
        reference_times.append(timed([venv / "bin" / "python3", BENCH / "reference_import.py", export, reference_db]))
        fresh(spotlog_db)
        spotlog_times.append(timed([spotlog, "import", "--quiet", "--db", spotlog_db, export]))
    fresh(spotlog_db)
    os.sync()
    verbose = subprocess.run(["/usr/bin/time", "-v", spotlog, "import", "--quiet", "--db", spotlog_db, export],
                             check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    peak_kb = int(next(line for line in verbose.splitlines() if "Maximum resident" in line).split(":")[1])
    stored = subprocess.run(["sqlite3", spotlog_db, "SELECT count(*) FROM plays"], check=True,
                            capture_output=True, text=True).stdout.strip()
    json_bytes = sum(i.file_size for i in zipfile.ZipFile(export).infolist() if i.filename.endswith(".json"))

    reference, ours = statistics.median(reference_times), statistics.median(spotlog_times)
    print(f"export          {args.plays} plays, {json_bytes / 1e6:.0f} MB of JSON ({export})")
    print(f"reference       {reference:.3f} s (median of {args.runs}: {', '.join(f'{t:.2f}' for t in reference_times)})")
    print(f"spotlog import  {ours:.3f} s (median of {args.runs}: {', '.join(f'{t:.2f}' for t in spotlog_times)}), "
          f"{stored} plays stored")
    print(f"speed-up        {reference / ours:.1f}x (target >= 10x)")
    print(f"peak RSS        {peak_kb / 1024:.1f} MB (target <= 100 MB)")


if __name__ == "__main__":
    main()
