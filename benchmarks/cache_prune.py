"""What pruning the cache costs at the end of a run, in milliseconds.

    python benchmarks/cache_prune.py [--entries N] [--repeat R]

Builds a cache of N entries (small results, as for pages without findings)
in a temporary folder, then times `ResultCache.prune`, best of R:

- (a) a run's prune, the common case: other stamps' folders looked for, the
  settings folder marked used, no scan (one ran today);
- (b) the daily scan for entries unread for 30 days (its marker aged a day),
  paid by the first run of a day;
- (c) the first run after an upgrade, with another version's folder of N
  entries to delete: it deletes for at most `REMOVAL_BUDGET`, later runs the rest;
- (r) deleting such a folder outright, for comparison (what the budget spreads out).

Nothing outside the temporary folder is read or written.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.config import Config  # noqa: E402
from auditor.engine.cache import FORMAT, REMOVAL_BUDGET, ResultCache  # noqa: E402
from auditor.engine.results import FileResult  # noqa: E402
from auditor.input.sources import PageSource  # noqa: E402
from auditor.registry import default_registry  # noqa: E402


def _fill(cache: ResultCache, entries: int) -> None:
    for n in range(entries):
        name = f"docs/page{n:06d}.md"
        cache.put(cache.key(PageSource(name), name.encode()), FileResult(name, "markdown", "en"))


def _best(repeat: int, before: object, action: object) -> float:
    best = float("inf")
    for _ in range(repeat):
        before()  # type: ignore[operator]
        start = time.perf_counter()
        action()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000, help="entries in the cache (default 10000)")
    parser.add_argument("--repeat", type=int, default=5, help="timings to take the best of (default 5)")
    args = parser.parse_args()
    registry = default_registry()
    settings = Config(selected=frozenset(registry.rules))
    with tempfile.TemporaryDirectory(prefix="auditor-prune-") as folder:
        cache = ResultCache.open(Path(folder), registry, settings, site=True)
        _fill(cache, args.entries)
        cache.prune()  # the first prune scans; later ones in the day do not
        scanned = Path(folder) / f"v{FORMAT}" / cache.stamp / ".scanned"

        def age_marker() -> None:
            then = time.time() - 2 * 86_400
            os.utime(scanned, (then, then))

        common = _best(args.repeat, lambda: None, cache.prune)
        daily = _best(args.repeat, age_marker, cache.prune)
        other = ResultCache(Path(folder), "0" * 40, settings, stamp="0" * 16)
        upgrade = _best(1, lambda: _fill(other, args.entries), cache.prune)
        outright = _best(
            1, lambda: _fill(other, args.entries), lambda: shutil.rmtree(other.folder / f"v{FORMAT}" / other.stamp)
        )
    print(f"cache of {args.entries:,} entries, best of {args.repeat}")
    print(f"(a) prune at the end of a run  {common:8.2f} ms")
    print(f"(b) daily scan for stale       {daily:8.2f} ms")
    print(f"(c) first run after an upgrade {upgrade:8.2f} ms (budget {REMOVAL_BUDGET * 1000:g} ms)")
    print(f"(r) that folder deleted whole  {outright:8.2f} ms")


if __name__ == "__main__":
    main()
