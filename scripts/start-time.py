#!/usr/bin/env python3
"""Time from launch to the first progress line, as a multiple of the run's own median seconds per iteration.

Each launch is `stylestudio render --size SIZE --single-scale --iterations 24` on the photo and painting given
(default: the reference images of the tests); the first line is iteration 0, the start image's loss after one
evaluation, and iterations 2..24 give the median. Several binaries alternate (A B A B), a second apart.

  python3 scripts/start-time.py [--rounds N] [--cold] [--content PHOTO --style PAINTING] [--size PX] BINARY...

--cold: the painting's statistics are never kept from an earlier launch (as for a painting never seen); without
it, one unmeasured launch first keeps them. Either way the runs use a cache folder of their own (the weights and
their prepared kernels linked in), never the user's cache of paintings.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

repository = Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("binaries", nargs="+")
parser.add_argument("--rounds", type=int, default=5)
parser.add_argument("--cold", action="store_true")
parser.add_argument("--size", type=int, default=256)
parser.add_argument("--content", default=str(repository / "Tests/Fixtures/reference/content.png"))
parser.add_argument("--style", default=str(repository / "Tests/Fixtures/reference/style.png"))
options = parser.parse_args()

environment = dict(os.environ)  # the program sets OpenBLAS's variables itself
made_folders = []  # removed at the end


def cache_folder() -> Path:
    """A cache folder of its own with the user's weights and prepared kernels linked in (common.sh's
    make_test_cache, the one the tests use)."""
    made = subprocess.run(["bash", "-c", f"source '{repository}/scripts/common.sh' >/dev/null && make_test_cache"],
                          capture_output=True, text=True, check=True)
    folder = Path(made.stdout.strip().splitlines()[-1])
    made_folders.append(folder)
    return folder


def launch(binary: str, cache: Path, output: Path):
    """(seconds to the first line, median s/it of iterations 2..24) of one launch."""
    started = time.monotonic()
    process = subprocess.Popen([binary, "render", "--content", options.content, "--style", options.style,
                                "--size", str(options.size), "--single-scale", "--iterations", "24",
                                "--output", str(output)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=dict(environment, XDG_CACHE_HOME=str(cache)))
    first, per_iteration = None, []
    for line in process.stderr:
        match = re.match(r"iter (\d+)/", line)
        if not match:
            continue
        first = first if first is not None else time.monotonic() - started
        seconds = re.search(r"([0-9.]+) s/it", line)
        if seconds and int(match.group(1)) >= 2:
            per_iteration.append(float(seconds.group(1)))
    if process.wait() != 0 or first is None or not per_iteration:
        sys.exit(f"start-time: {binary} failed (exit status {process.returncode})")
    return first, statistics.median(per_iteration)


with tempfile.TemporaryDirectory() as scratch:
    scratch = Path(scratch)
    rows = {binary: [] for binary in options.binaries}
    warm_caches = {}
    try:
        for binary in options.binaries:
            if not options.cold:
                warm_caches[binary] = cache_folder()
                launch(binary, warm_caches[binary], scratch / "out.png")
        for round_ in range(options.rounds):
            for binary in options.binaries:
                time.sleep(1)
                cache = warm_caches.get(binary) or cache_folder()
                rows[binary].append(launch(binary, cache, scratch / "out.png"))
    finally:
        for folder in made_folders:
            shutil.rmtree(folder, ignore_errors=True)
    kind = "never seen (cold)" if options.cold else "seen before (warm)"
    print(f"launch → first line at {options.size} px, painting {kind}, {options.rounds} rounds, medians:")
    for binary, runs in rows.items():
        ratios = [first / seconds for first, seconds in runs]
        print(f"  {binary}: first line {statistics.median(r[0] for r in runs):.3f} s, "
              f"median s/it {statistics.median(r[1] for r in runs):.4f}, ratio {statistics.median(ratios):.2f}× "
              f"(runs {', '.join(f'{ratio:.2f}' for ratio in ratios)})")
