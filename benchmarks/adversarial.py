"""Audit time per MB of worst-case text, against per MB of ordinary pages.

    python benchmarks/adversarial.py [--size KB] [--each]

Ordinary pages are the example pages of `examples/` (English, Chinese,
Markdown, HTML), each repeated to SIZE. Worst-case pages are built by
tests/hostile/adversarial.py from every regular expression and word list of
the package: long runs of the characters each one names, runs of two in
turn, almost-matches. `--each` also audits one page per pattern and per list
(slower). The ratio of the slowest worst case (seconds per MB) to the
ordinary pages must stay under 3 (issue 6).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.config import Config  # noqa: E402
from auditor.engine.auditor import Auditor  # noqa: E402
from auditor.registry import default_registry  # noqa: E402
from tests.hostile.adversarial import (  # noqa: E402
    list_worst_cases,
    module_patterns,
    pattern_worst_cases,
    word_lists,
    worst_case_page,
)

BAR = 3.0


def _repeat(text: str, size: int) -> str:
    return (text + "\n\n") * (size // (len(text) + 2) + 1)


def _fill(pieces: list[str], size: int) -> str:
    page, total = [], 0
    while total < size:
        for piece in pieces:
            page.append(piece[: size // 4] + "\n")
            total += min(len(piece), size // 4) + 1
    return "".join(page)[:size]


def seconds_per_mb(auditor: Auditor, name: str, text: str, fmt: str) -> tuple[float, list[str]]:
    start = time.perf_counter()
    result = auditor.audit_text(name, text, fmt)
    elapsed = time.perf_counter() - start
    failures = [f.message for f in result.findings if f.rule == "IO006"]
    return elapsed / (len(text.encode("utf-8")) / 1_000_000), failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=256, help="page size in KB (default 256)")
    parser.add_argument("--each", action="store_true", help="also one page per pattern and per word list")
    args = parser.parse_args()
    size = args.size * 1000

    registry = default_registry()
    auditor = Auditor(registry, Config(selected=frozenset(registry.rules)), site=False)
    auditor.audit_text("warm.md", "预热 jieba 的词典。 Warm up.", "markdown")

    ordinary = {
        path.name: (_repeat(path.read_text(encoding="utf-8"), size), "html" if path.suffix == ".html" else "markdown")
        for path in sorted((ROOT / "examples").glob("*/*.*"))
        if path.suffix in (".md", ".html")
    }
    worst = {"every pattern and list, in turn": (worst_case_page(size), "markdown")}
    worst["the same as HTML"] = (worst["every pattern and list, in turn"][0], "html")
    # Runs that stress the rest of the pipeline: counting repeated words and phrases, segmenting, links.
    worst["one word repeated on one line"] = ("best " * (size // 5), "markdown")
    worst["one Han character repeated"] = ("卡" * (size // 3), "markdown")
    worst["one link repeated"] = ("[best](https://bit.ly/x?ref=1) " * (size // 31), "markdown")
    # Script bodies are scanned for hidden addresses (PL410): a page of opening tags and no closing one.
    worst["script tags never closed"] = ("<script>var x = 'aHR0cHM6Ly9hLmNvbS8=' " * (size // 40), "html")
    if args.each:
        for name, pattern in module_patterns().items():
            if isinstance(pattern.pattern, str):
                worst[name] = (_fill(list(pattern_worst_cases(pattern, run=2000, pairs=2000)), size), "markdown")
        for name, entries in word_lists().items():
            worst[name] = (_fill(list(list_worst_cases(entries, run=2000, pairs=2000)), size), "markdown")

    ordinary_rates = []
    print(f"ordinary pages, {args.size} KB each (s/MB):")
    for name, (text, fmt) in ordinary.items():
        rate, _ = seconds_per_mb(auditor, name, text, fmt)
        ordinary_rates.append(rate)
        print(f"  {rate:7.2f}  {name}")
    baseline = sum(ordinary_rates) / len(ordinary_rates)
    print(f"  {baseline:7.2f}  mean")

    print(f"worst-case pages, {args.size} KB each (s/MB, ratio to the ordinary mean):")
    worst_ratio, failed = 0.0, []
    for name, (text, fmt) in worst.items():
        rate, failures = seconds_per_mb(auditor, name, text, fmt)
        worst_ratio = max(worst_ratio, rate / baseline)
        failed += failures
        print(f"  {rate:7.2f}  {rate / baseline:5.2f}x  {name}")
    print(f"ratio (slowest worst case / ordinary mean): {worst_ratio:.2f} (bar: under {BAR:g})")
    if failed:
        print("checks that failed or ran out of time:", *failed, sep="\n  ")
    sys.exit(0 if worst_ratio < BAR and not failed else 1)


if __name__ == "__main__":
    main()
