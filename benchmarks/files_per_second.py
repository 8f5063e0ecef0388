"""Files per second of `auditor check` on a folder, end to end, single process.

    python benchmarks/files_per_second.py [FOLDER] [--repeat N]

Runs the installed `auditor` command (start-up, jieba load and all) and the
in-process engine (jieba already loaded), and prints both figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", default=str(Path(__file__).parents[2] / "shared" / "corpus" / "dev"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from auditor.config import load_config
    from auditor.discovery import discover
    from auditor.engine import Auditor
    from auditor.registry import default_registry

    registry = default_registry()
    config = load_config(registry, start=Path(args.folder))
    files = discover([args.folder], config)
    size = sum(Path(f).stat().st_size for f in files)

    best_cli = min(_timed_cli(args.folder) for _ in range(args.repeat))
    auditor = Auditor(registry, config)
    auditor.audit_path(files[0])  # loads jieba once, as a long-running process would have
    best_engine = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for path in files:
            auditor.audit_path(path)
        best_engine = min(best_engine, time.perf_counter() - start)

    print(f"folder: {args.folder}  files: {len(files)}  size: {size / 1e6:.2f} MB")
    print(f"auditor check (CLI, cold process): {best_cli:6.2f} s  {len(files) / best_cli:7.1f} files/s")
    print(
        f"engine, jieba loaded:              {best_engine:6.2f} s  {len(files) / best_engine:7.1f} files/s"
        f"  {size / 1e6 / best_engine:5.2f} MB/s"
    )


def _timed_cli(folder: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "auditor", "check", folder, "--format", "json"], stdout=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
