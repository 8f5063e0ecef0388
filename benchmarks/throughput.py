"""Throughput of `auditor check` against the floor: what reading, parsing and segmenting cost anyway.

    python benchmarks/throughput.py FOLDER [FOLDER ...] [--repeat N] [--jobs N] [--markdown]

Point it at folders of Markdown/HTML pages: a labeled corpus, a checkout of real
sites, or `examples/` for a quick try. For each folder it measures, in one run:

  (a) the floor: the same files read and decoded, parsed with markdown-it-py (Markdown; the
      auditor's parser settings) or beautifulsoup4 with html.parser (HTML), and their text
      segmented with plain jieba (every text run of the parse that holds a Han character),
      in one process, timed after jieba's dictionary is loaded: nothing else;
  (b) `auditor check FOLDER --no-cache --jobs 1` with plain jieba, the whole process;
  (b') the same with jieba_fast, when the `fast` extra is installed;
  (c) `auditor check FOLDER --no-cache --jobs 2`;
  (d) `auditor check FOLDER` warm: the cache filled by a run before, nothing changed;
  (e) `auditor --version`, and `auditor check` on one small English page (cold and warm).

Cold runs may use jieba's dictionary cache (it is per machine, not per project). Each timing
is the best of N runs (the machines are shared: the best is the least disturbed). Peak RSS
is sampled every 20 ms over the whole process tree (the parent and its workers, added up),
and for the largest single process. Ratios: (b)/(a) and (b')/(a) compare throughputs (1.0:
as fast as the floor), (c)/(b) is the speed-up of two jobs, (d)/(b) the warm time as a share
of the cold one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# The floor, run in a process of its own so that its memory is its own.
FLOOR = r"""
import json, re, sys, time, logging, resource
from auditor.input.loading import decode
from auditor.parsing.markdown import MARKDOWN_MAX_NESTING, _parser
from bs4 import BeautifulSoup
import jieba
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
han = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
files = json.load(open(sys.argv[1]))
markdown = _parser(MARKDOWN_MAX_NESTING)
start, cpu = time.perf_counter(), time.process_time()
for path in files:
    with open(path, "rb") as handle:
        data = handle.read()
    is_html = path.lower().endswith((".html", ".htm"))
    try:
        text, _ = decode(data, "html" if is_html else "markdown")
    except Exception:
        continue
    if is_html:
        runs = BeautifulSoup(text, "html.parser").get_text("\n").split("\n")
    else:
        runs = [token.content for token in markdown.parse(text) if token.type == "inline"]
    for run in runs:
        if han.search(run):
            jieba.lcut(run)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu}))
"""


@dataclass
class Timing:
    seconds: float
    tree_rss_mb: float  # peak of the sum over the process tree
    max_rss_mb: float  # the largest single process
    cpu: float = 0.0  # user + system seconds of the process tree


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return found


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def timed(argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[Timing, str]:
    """Run a command; its wall time, CPU time, peak memory (sampled every 20 ms) and standard output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        peak = {"tree": 0.0, "largest": 0.0}

        def sample() -> None:
            while process.poll() is None:
                tree, todo = 0.0, [process.pid]
                while todo:
                    pid = todo.pop()
                    rss = _rss_mb(pid)
                    tree += rss
                    peak["largest"] = max(peak["largest"], rss)
                    todo.extend(_children(pid))
                peak["tree"] = max(peak["tree"], tree)
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        process.wait()
        seconds = time.perf_counter() - start
        sampler.join()
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Timing(seconds, peak["tree"], peak["largest"], cpu), output


def best(runs: int, argv: list[str], env: dict[str, str] | None = None) -> Timing:
    return best_of([timed(argv, env)[0] for _ in range(runs)])


def best_of(timings: list[Timing]) -> Timing:
    """The fastest run's time (the least disturbed), the highest memory of all."""
    fastest = min(timings, key=lambda t: t.seconds)
    return Timing(
        fastest.seconds,
        max(t.tree_rss_mb for t in timings),
        max(t.max_rss_mb for t in timings),
        min(t.cpu for t in timings),
    )


def auditor(*args: str) -> list[str]:
    return [sys.executable, "-m", "auditor", *args]


def environment(segmenter: str) -> dict[str, str]:
    return {**os.environ, "AUDITOR_SEGMENTER": segmenter, "NO_COLOR": "1"}


def files_of(folder: Path) -> list[str]:
    from auditor.config import load_config
    from auditor.input.discovery import discover
    from auditor.registry import default_registry

    config = load_config(default_registry(), start=folder)
    return discover([str(folder)], config)


def fast_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("jieba_fast") is not None


def measure(folder: Path, files: list[str], repeat: int, jobs: int) -> list[tuple[str, Timing | None, str]]:
    rows: list[tuple[str, Timing | None, str]] = []

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as listing:
        json.dump(files, listing)
    floor_timings = []
    for _ in range(repeat):
        timing, output = timed([sys.executable, "-c", FLOOR, listing.name])
        work = json.loads(output)
        floor_timings.append(Timing(work["seconds"], timing.tree_rss_mb, timing.max_rss_mb, work["cpu"]))
    os.unlink(listing.name)
    floor = min(floor_timings, key=lambda t: t.seconds)
    rows.append(("(a) floor: read + parse + jieba, 1 process", floor, ""))

    # The cold runs take turns, so that each kind sees the same spells of load from other jobs.
    plain = environment("jieba")
    cold: dict[str, list[Timing]] = {"b": [], "b'": [], "c": []}
    one_job = auditor("check", str(folder), "--no-cache", "--jobs", "1", "--format", "json")
    many_jobs = auditor("check", str(folder), "--no-cache", "--jobs", str(jobs), "--format", "json")
    for _ in range(repeat):
        cold["b"].append(timed(one_job, plain)[0])
        if fast_installed():
            cold["b'"].append(timed(one_job, environment("jieba_fast"))[0])
        cold["c"].append(timed(many_jobs, plain)[0])
    one = best_of(cold["b"])
    ratio = f"(b)/(a) = {floor.seconds / one.seconds:.2f} (by CPU time {floor.cpu / one.cpu:.2f})"
    rows.append(("(b) cold, 1 job, jieba", one, ratio))
    if cold["b'"]:
        fast = best_of(cold["b'"])
        ratio = f"(b')/(a) = {floor.seconds / fast.seconds:.2f} (by CPU time {floor.cpu / fast.cpu:.2f})"
        rows.append(("(b') cold, 1 job, jieba_fast", fast, ratio))
    many = best_of(cold["c"])
    rows.append((f"(c) cold, {jobs} jobs, jieba", many, f"(c)/(b) = {one.seconds / many.seconds:.2f}×"))

    with tempfile.TemporaryDirectory() as cache:
        warm_argv = auditor("check", str(folder), "--cache-dir", cache, "--jobs", str(jobs), "--format", "json")
        timed(warm_argv, plain)  # fill the cache
        warm = best(repeat, warm_argv, plain)
    rows.append(("(d) warm: cache filled, nothing changed", warm, f"(d)/(b) = {warm.seconds / one.seconds:.1%}"))

    return rows


def startup(repeat: int) -> list[tuple[str, Timing | None, str]]:
    rows: list[tuple[str, Timing | None, str]] = []
    version = best(max(repeat, 5), [str(Path(sys.executable).with_name("auditor")), "--version"])
    rows.append(("(e) auditor --version", version, ""))
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "notes.md"
        page.write_text(
            "# Release notes\n\nThis release fixes two bugs in the config loader and makes start-up faster.\n",
            encoding="utf-8",
        )
        script = str(Path(sys.executable).with_name("auditor"))
        cold = best(max(repeat, 5), [script, "check", str(page), "--no-cache"], environment("jieba"))
        rows.append(("(e) one small English page, cold", cold, ""))
        cache = str(Path(folder) / "cache")
        timed([script, "check", str(page), "--cache-dir", cache])
        warm = best(max(repeat, 5), [script, "check", str(page), "--cache-dir", cache])
        rows.append(("(e) one small English page, warm", warm, ""))
    return rows


def render(folder: str, files: int, size: int, rows: list[tuple[str, Timing | None, str]], markdown: bool) -> str:
    lines = []
    if markdown:
        lines.append(f"`{folder}`: {files} files, {size / 1e6:.1f} MB\n")
        lines.append("| run | wall s | CPU s | files/s | MB/s | peak RSS MB (tree / largest) | ratio |")
        lines.append("|---|---:|---:|---:|---:|---:|---|")
    else:
        lines.append(f"{folder}: {files} files, {size / 1e6:.1f} MB")
        lines.append(f"{'run':44} {'wall s':>8} {'CPU s':>7} {'files/s':>8} {'MB/s':>6} {'RSS MB':>14}  ratio")
    for name, timing, note in rows:
        if timing is None:
            continue
        rate = f"{files / timing.seconds:.0f}" if files else "-"
        mbs = f"{size / 1e6 / timing.seconds:.2f}" if files else "-"
        # a process too short for one sample shows no memory figure
        rss = f"{timing.tree_rss_mb:.0f} / {timing.max_rss_mb:.0f}" if timing.tree_rss_mb else "-"
        if markdown:
            lines.append(f"| {name} | {timing.seconds:.2f} | {timing.cpu:.2f} | {rate} | {mbs} | {rss} | {note} |")
        else:
            lines.append(f"{name:44} {timing.seconds:8.2f} {timing.cpu:7.2f} {rate:>8} {mbs:>6} {rss:>14}  {note}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "folders",
        nargs="+",
        metavar="FOLDER",
        help="folders of Markdown/HTML pages to audit (a corpus, a site checkout, or examples/)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is kept")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables (for docs/performance.md)")
    args = parser.parse_args()

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}\n")
    for folder in args.folders:
        files = files_of(Path(folder))
        rows = measure(Path(folder), files, args.repeat, args.jobs)
        size = sum(os.path.getsize(f) for f in files)
        print(render(folder, len(files), size, rows, args.markdown) + "\n", flush=True)
    print(render("start-up", 0, 0, startup(args.repeat), args.markdown))
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
