"""Setup shared by the benchmark scripts: the work folder, the synthetic export, the release build."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"


def work_folder(name):
    """A folder under the system's temporary directory, kept between runs as a cache."""
    folder = pathlib.Path(tempfile.gettempdir()) / name
    folder.mkdir(exist_ok=True)
    return folder


def synthetic_export(folder, plays):
    """The export ../shared/bench/gen_export.py writes for `plays` plays, generated once."""
    export = folder / f"export-{plays}.zip"
    if not export.exists():
        subprocess.run([sys.executable, BENCH / "gen_export.py", "--plays", str(plays), "--out", export], check=True)
    return export


def release_spotlog():
    """Builds spotlog as shipped (release, static Swift runtime) and returns the binary."""
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "spotlog"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    return ROOT / ".build" / "release" / "spotlog"
