"""CI guard for issue 8: the Dask engine gives the local engine's findings, in the same order.

    python .ci/dask_parity.py [FOLDER ...]      (default: a subset of ../shared/sites)

Audits the folders as one run with the local engine and with `--engine dask`
on a LocalCluster of two single-threaded worker processes, and compares the
JSON reports: the files in order, and each file's findings. Exits 1 on any
difference. The default subset (tggsearch, pianyijichang, vite-docs, weekly:
about 900 pages, farms and honest sites, Chinese and English) keeps CI short;
`python .ci/dask_parity.py ../shared/sites` compares all the sites.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path

from distributed import LocalCluster

SITES = Path(__file__).resolve().parents[2] / "shared" / "sites"
SUBSET = ("tggsearch", "pianyijichang", "vite-docs", "weekly")


def audit(folders: list[str], *engine: str) -> tuple[list, float]:
    start = time.perf_counter()
    argv = [sys.executable, "-m", "auditor", "check", *folders, "--format", "json", *engine]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"auditor check {' '.join(engine) or '(local)'} exited {done.returncode}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)["files"], time.perf_counter() - start


def main() -> None:
    folders = sys.argv[1:] or [str(SITES / name) for name in SUBSET]
    local, local_seconds = audit(folders)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster:
        dask, dask_seconds = audit(folders, "--engine", "dask", "--scheduler", cluster.scheduler_address)
    findings = sum(len(entry["findings"]) for entry in local)
    print(
        f"dask parity: {len(local)} pages, {findings} findings; "
        f"local {local_seconds:.0f} s, dask on 2 workers {dask_seconds:.0f} s"
    )
    if dask != local:
        differ = [a["path"] for a, b in zip(local, dask, strict=False) if a != b] or ["(the lists of files)"]
        sys.exit(f"the Dask engine's report differs from the local engine's, first on {differ[0]}")


if __name__ == "__main__":
    main()
