"""How the site phase grows with the number of pages.

    python benchmarks/site_scale.py --sites FOLDER [--sizes 1000,10000,100000] [--jobs 2]

Point `--sites` at a folder of real sites (one sub-folder per site, Markdown or
HTML pages). For each size it audits that many pages, the same mix at every size: real
pages of that folder (an evenly spaced sample, as large a share of the
size as all of them are of the largest size) and synthetic pages generated
here (template farms with a shared store link, honest pages with their own
prose). It prints the wall time of the site phase (untraced) and its peak
memory (a second, traced run on the same signatures), the size of the
signatures it looked across, and the time ratio to the previous size. The
page phase runs in a pool of worker processes and is not what this measures.
"""

from __future__ import annotations

import argparse
import pickle
import random
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from auditor.config import Config
from auditor.engine.auditor import Auditor
from auditor.engine.results import FileResult
from auditor.input.discovery import discover
from auditor.input.sources import format_of
from auditor.registry import default_registry

_WORDS = [
    "river",
    "cloud",
    "market",
    "engine",
    "garden",
    "signal",
    "paper",
    "window",
    "travel",
    "budget",
    "camera",
    "coffee",
    "lesson",
    "doctor",
    "music",
    "planet",
    "harbor",
    "cotton",
    "silver",
    "forest",
    "ticket",
    "kitchen",
    "library",
    "engine",
    "season",
    "student",
    "battery",
    "circuit",
]
_BRANDS = ["Nova", "Zephyr", "Quill", "Orbit", "Lumen", "Pico", "Vela", "Kite", "Astra", "Brio"]


def synthetic_page(index: int) -> tuple[str, str]:
    """A generated page: every third one from a template farm, the rest honest-looking prose."""
    rng = random.Random(index)
    if index % 3 == 0:
        brand = rng.choice(_BRANDS) + str(index % 97)
        anchor = " ".join(rng.sample(_WORDS, 3))
        sections = "\n\n".join(
            f"## {brand} {part}\n\n{brand} {part.lower()} is simple. "
            + " ".join(rng.choice(_WORDS) for _ in range(40))
            + "."
            for part in ("Introduction", "Advantages", "Pricing", "Conclusion")
        )
        link = f"Read about [{anchor}](https://store.merchpoint.example/collection/{brand.lower()})."
        return f"synthetic/farm/{index:06d}.md", f"# {brand} review\n\n{sections}\n\n{link}\n"
    paragraphs = "\n\n".join(
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(30, 80))).capitalize() + "."
        for _ in range(rng.randint(3, 6))
    )
    heading = " ".join(rng.sample(_WORDS, 2)).title()
    return f"synthetic/blog/{index:06d}.md", f"# {heading}\n\n{paragraphs}\n"


def _config() -> Config:
    return Config(selected=frozenset(default_registry().rules))


def _audit_real(paths: list[str]) -> list[FileResult]:
    auditor = Auditor(default_registry(), _config())
    return [auditor.audit_path(path) for path in paths]


def _audit_synthetic(indexes: list[int]) -> list[FileResult]:
    auditor = Auditor(default_registry(), _config())
    return [auditor.audit_text(*synthetic_page(i), "markdown") for i in indexes]


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def page_phase(real: list[str], synthetic: int, jobs: int) -> list[FileResult]:
    results: list[FileResult] = []
    with ProcessPoolExecutor(jobs) as pool:
        for batch in pool.map(_audit_real, _chunks(real, 200)):
            results.extend(batch)
        for batch in pool.map(_audit_synthetic, _chunks(list(range(synthetic)), 500)):
            results.extend(batch)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--sites",
        required=True,
        metavar="FOLDER",
        help="a folder of real sites, one sub-folder per site; its pages are mixed with synthetic ones",
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="numbers of pages, comma-separated")
    args = parser.parse_args()

    real = (
        [p for p in discover([args.sites], Config(root=Path(args.sites))) if format_of(p)]
        if Path(args.sites).is_dir()
        else []
    )
    print(
        f"{'pages':>8} {'real':>6} {'page phase s':>13} {'site phase s':>13} {'peak MB':>8} "
        f"{'signatures MB':>14} {'KB/page':>8} {'time ×':>7}"
    )
    sizes = [int(s) for s in args.sizes.split(",")]
    share = min(1.0, len(real) / max(sizes))
    previous: tuple[int, float] | None = None
    for size in sizes:
        wanted = round(size * share)
        chosen = [real[i * len(real) // wanted] for i in range(wanted)] if wanted else []
        start = time.perf_counter()
        results = page_phase(chosen, size - len(chosen), args.jobs)
        page_seconds = time.perf_counter() - start
        signature_bytes = sum(len(pickle.dumps(r.signatures)) for r in results)
        kept = pickle.dumps(results)
        del results

        # Timed untraced (tracemalloc slows allocation-heavy code unevenly), then traced for memory.
        auditor = Auditor(default_registry(), _config())
        timed = pickle.loads(kept)
        start = time.perf_counter()
        auditor.audit_site(timed)
        site_seconds = time.perf_counter() - start
        del timed
        traced = pickle.loads(kept)
        tracemalloc.start()
        auditor.audit_site(traced)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del traced, kept

        # The time of this size over the last one's, for comparison with the page ratio (10×).
        growth = f"{site_seconds / previous[1]:.1f}" if previous and previous[1] else ""
        print(
            f"{size:8d} {len(chosen):6d} {page_seconds:13.1f} {site_seconds:13.2f} {peak / 1e6:8.1f} "
            f"{signature_bytes / 1e6:14.1f} {signature_bytes / 1e3 / size:8.2f} {growth:>7}"
        )
        previous = (size, site_seconds)


if __name__ == "__main__":
    main()
