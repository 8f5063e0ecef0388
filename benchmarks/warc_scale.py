"""A crawl-sized run: the local engine against the Dask engine on one generated WARC.

    python benchmarks/warc_scale.py [--pages 100000] [--workers 2] [--partition-size 500] [--warc PATH]

Generates a WARC (gzipped) of `--pages` HTML pages: template-farm pages that
share a skeleton and a store link, near-copies, and honest pages with their
own prose, a tenth of them in Chinese. Then audits it twice, each engine in a
fresh process so that peak memory is its own, both writing `json-lines` to
/dev/null, and prints pages per second and peak memory (RSS) of the client
and of each worker:

- local: the page phase mapped over the WARC's slices by a pool of
  `--workers` processes with `auditor.engine.phases.page_phase` (what a process-pool
  runner does), then the site phase in the parent;
- dask: the Dask engine (`auditor.engine.dask.connect` and `audit_on`, what
  `auditor check --engine dask --scheduler ADDRESS` runs) on a cluster of
  `--workers` single-threaded worker processes and a scheduler process,
  started here on the loopback interface, so that the client's memory is
  the client's alone (a LocalCluster would host the scheduler in the client).
  Its time includes starting the workers, jieba's dictionary included.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from auditor.config import Config
from auditor.engine import phases
from auditor.engine.results import FileResult
from auditor.input import warc
from auditor.registry import default_registry
from auditor.reporters.json_lines import render_page as json_lines

_WORDS = [
    *("river", "cloud", "market", "engine", "garden", "signal", "paper", "window", "travel", "budget"),
    *("camera", "coffee", "lesson", "doctor", "music", "planet", "harbor", "cotton", "silver", "forest"),
    *("ticket", "kitchen", "library", "season", "student", "battery", "circuit", "bridge", "valley", "winter"),
    *("summer", "lantern", "marble", "orchard", "pepper", "rocket", "saddle", "timber", "violet", "walnut"),
]
_ZH = ["我们", "今天", "城市", "天气", "河流", "市场", "图书馆", "学生", "咖啡", "音乐"]
_ZH += ["旅行", "预算", "相机", "医生", "森林", "车票", "厨房", "季节", "电池", "桥梁"]
_BRANDS = ["Nova", "Zephyr", "Quill", "Orbit", "Lumen", "Pico", "Vela", "Kite", "Astra", "Brio"]


def page(index: int) -> tuple[str, str]:
    """A generated page (URI, HTML): farms, near-copies and honest pages in English and Chinese."""
    rng = random.Random(index)
    if index % 3 == 0:  # a template farm: one skeleton, the keyword swapped in, one store
        brand = f"{rng.choice(_BRANDS)}{index % 97}"
        anchor = " ".join(rng.sample(_WORDS, 3))
        sections = "".join(
            f"<h2>{brand} {part}</h2><p>{brand} {part.lower()} is simple. "
            + " ".join(rng.choice(_WORDS) for _ in range(40))
            + ".</p>"
            for part in ("Introduction", "Advantages", "Pricing", "Conclusion")
        )
        link = f'<p>Read about <a href="https://store.merchpoint.example/collection/{brand.lower()}">{anchor}</a>.</p>'
        html = f"<title>{brand} review</title><h1>{brand} review</h1>{sections}{link}"
        return f"https://farm.example/{index:06d}", html
    if index % 10 == 1:  # Chinese prose
        paragraphs = "".join(
            "<p>" + "".join(rng.choice(_ZH) for _ in range(rng.randint(40, 90))) + "。</p>" for _ in range(4)
        )
        return f"https://zh.example/{index:06d}", f"<title>{rng.choice(_ZH)}笔记</title>{paragraphs}"
    if index % 10 == 2:  # a near-copy of the page before it, retitled
        rng = random.Random(index - 1 - (index - 1) % 10)
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(_WORDS) for _ in range(rng.randint(30, 80))).capitalize() + ".</p>"
        for _ in range(rng.randint(3, 6))
    )
    title = " ".join(rng.sample(_WORDS, 2)).title()
    return f"https://blog.example/{index:06d}", f"<title>{title} {index}</title>{paragraphs}"


def generate(path: Path, pages: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for index in range(pages):
            uri, html = page(index)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            body = f"<!doctype html><html><body>{html}</body></html>".encode()
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _local_slice(piece: warc.Slice) -> list[FileResult]:
    settings = _settings()
    return [phases.page_phase(source, settings) for source in warc.pages(piece.path, piece.offset, piece.count)]


def _settings() -> phases.Settings:
    return phases.Settings(Config(selected=frozenset(default_registry().rules)), site=True)


def run_local(warc_path: str, workers: int, partition_size: int) -> dict:
    settings = _settings()
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        results = [r for batch in pool.map(_local_slice, warc.slices(warc_path, partition_size)) for r in batch]
    phases.auditor_for(settings).audit_site(results)
    with open("/dev/null", "w", encoding="utf-8") as out:
        for result in results:
            json_lines(result, out)
    seconds = time.perf_counter() - start
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"pages": len(results), "seconds": seconds, "client_mb": _peak_mb(), "worker_mb": [child]}


@contextmanager
def _cluster(workers: int) -> Iterator[str]:
    """A scheduler and `workers` single-threaded workers as processes of their own, on the loopback
    interface, as an existing cluster would be; yields the scheduler's address."""
    with tempfile.TemporaryDirectory() as folder:
        scheduler_file = str(Path(folder) / "scheduler.json")
        # Every server on the loopback interface, the HTTP ones (health, metrics) included.
        common = ["--no-dashboard", "--dashboard-address", "127.0.0.1:0", "--scheduler-file", scheduler_file]
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", *common],
            stderr=subprocess.DEVNULL,
        )
        each = ["--host", "127.0.0.1", "--nthreads", "1", "--nworkers", str(workers)]
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", *each, *common],
            stderr=subprocess.DEVNULL,
        )
        try:
            yield _address(scheduler_file)
        finally:
            for process in (worker, scheduler):
                process.terminate()
                process.wait(timeout=60)


def _address(scheduler_file: str) -> str:
    """The address in the scheduler file, once the scheduler has written it."""
    while True:
        try:
            return json.loads(Path(scheduler_file).read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.1)


def run_dask(warc_path: str, workers: int, partition_size: int) -> dict:
    from auditor.engine.dask import audit_on, connect  # only this run needs Dask

    settings = _settings()
    start = time.perf_counter()
    pages = 0
    with _cluster(workers) as address, connect(address) as client:
        client.wait_for_workers(workers)
        ready = time.perf_counter()
        with open("/dev/null", "w", encoding="utf-8") as out:
            for result in audit_on(client, [warc_path], settings, partition_size):
                json_lines(result, out)
                pages += 1
        seconds = time.perf_counter() - start
        peaks = client.run(_peak_mb)
        scheduler_mb = client.run_on_scheduler(_peak_mb)
    return {
        "pages": pages,
        "seconds": seconds,
        "startup": ready - start,
        "client_mb": _peak_mb(),
        "scheduler_mb": scheduler_mb,
        "worker_mb": sorted(peaks.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partition-size", type=int, default=500)
    parser.add_argument("--warc", help="where to write the WARC (default: /tmp/auditor-bench-PAGES.warc.gz)")
    parser.add_argument("--engines", default="local,dask")
    parser.add_argument("--run", choices=["local", "dask"], help=argparse.SUPPRESS)  # one engine, in this process
    args = parser.parse_args()
    warc_path = Path(args.warc or f"/tmp/auditor-bench-{args.pages}.warc.gz")

    if args.run:
        engine = run_local if args.run == "local" else run_dask
        print(json.dumps(engine(str(warc_path), args.workers, args.partition_size)))
        return

    if not warc_path.exists():
        start = time.perf_counter()
        generate(warc_path, args.pages)
        print(f"wrote {warc_path} ({warc_path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.0f} s")
    print(f"{'engine':8} {'pages':>8} {'seconds':>8} {'pages/s':>8} {'client MB':>10}  worker MB (peak RSS each)")
    for engine in args.engines.split(","):
        argv = [sys.executable, __file__, "--run", engine, "--warc", str(warc_path)]
        argv += ["--workers", str(args.workers), "--partition-size", str(args.partition_size)]
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        workers = ", ".join(f"{mb:.0f}" for mb in row["worker_mb"])
        print(
            f"{engine:8} {row['pages']:8d} {row['seconds']:8.1f} {row['pages'] / row['seconds']:8.1f} "
            f"{row['client_mb']:10.0f}  {workers}"
            + (" (largest pool process)" if engine == "local" else f"; scheduler {row['scheduler_mb']:.0f} MB")
        )


if __name__ == "__main__":
    main()
