"""How soon the language server answers after start-up, driven over stdio as an editor drives it.

    python benchmarks/lsp_latency.py [PAGE] [--repeat N]

Each round starts a fresh `python -m auditor server`, sends initialize and
initialized, then at once didOpen of PAGE (a Chinese spam page by default, so
jieba's dictionary is on the critical path) and, right behind it, a hover
request. It prints, per round and as the median and the worst:

- start-up: from spawning the process to the initialize reply;
- hover: the round trip of that hover, answered while jieba loads and the page is audited;
- first diagnostics: from the first didOpen to its publishDiagnostics (the bar: under 2 s);
- spawn to diagnostics: from spawning the process to that publishDiagnostics;
- warm audit: from a didSave to its publishDiagnostics, everything loaded;
- server CPU: the CPU time the server process used in the round, start-up to exit.

The machine's load average is printed too: on a shared machine it explains
most of the spread, and the server's CPU time is what a quiet machine's
wall-clock time would come close to.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lsp_client import LspClient  # noqa: E402


def one_round(page: Path) -> dict[str, float]:
    uri = page.resolve().as_uri()
    text = page.read_text(encoding="utf-8")
    cpu_before = _children_cpu()
    spawned = time.perf_counter()
    client = LspClient(cwd=ROOT)
    try:
        client.initialize()
        initialized = time.perf_counter()
        client.open(uri, text, "html" if page.suffix in (".html", ".htm") else "markdown")
        opened = time.perf_counter()
        position = {"line": 0, "character": 0}
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
        hovered = time.perf_counter()
        diagnostics = client.diagnostics(uri)
        published = time.perf_counter()
        assert diagnostics, f"{page} got no diagnostics"
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        saved = time.perf_counter()
        client.diagnostics(uri)
        warm = time.perf_counter()
    finally:
        client.close()
    return {
        "start-up": initialized - spawned,
        "hover": hovered - opened,
        "first diagnostics": published - opened,
        "spawn to diagnostics": published - spawned,
        "warm audit": warm - saved,
        "server CPU": _children_cpu() - cpu_before,
        "findings": len(diagnostics),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", nargs="?", default=str(ROOT / "examples" / "spam" / "esim-topup.md"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    page = Path(args.page)

    rounds = []
    for number in range(1, args.repeat + 1):
        figures = one_round(page)
        rounds.append(figures)
        shown = "  ".join(f"{name} {value:5.2f} s" for name, value in figures.items() if name != "findings")
        print(f"round {number}: {shown}  ({figures['findings']:.0f} diagnostics)")
    print(f"page: {page}  rounds: {args.repeat}  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name in ("start-up", "hover", "first diagnostics", "spawn to diagnostics", "warm audit", "server CPU"):
        values = [r[name] for r in rounds]
        print(f"{name:20} median {statistics.median(values):5.2f} s   worst {max(values):5.2f} s")


if __name__ == "__main__":
    main()
