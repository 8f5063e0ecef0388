"""The start-up budget: `auditor --version` and a one-page `auditor check`, as pre-commit runs it.

    python benchmarks/startup.py [--repeat N] [--top K]

Each command runs in a fresh interpreter (a subprocess, as a hook would
start it), best of N wall-clock times, on a one-page English Markdown file
in a temporary folder (no cache: the cold path of one changed file). Then
the one-page run again under `python -X importtime`, and its K slowest
top-level imports (cumulative microseconds), to show where the time goes.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = "# Release notes\n\nThis release fixes two bugs in the config loader.\n"


def _best(argv: list[str], cwd: Path, repeat: int) -> float:
    best = float("inf")
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def _import_times(argv: list[str], cwd: Path) -> list[tuple[int, str]]:
    """(cumulative µs, package) of each top-level import, slowest first."""
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=cwd, capture_output=True, text=True)
    found: dict[str, int] = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 1:  # imported by the program itself, not by another module
            name = match.group(3)
            found[name] = max(found.get(name, 0), int(match.group(1)))
    return sorted(((us, name) for name, us in found.items()), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs to take the best of (default 5)")
    parser.add_argument("--top", type=int, default=12, help="slowest imports to list (default 12)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="auditor-startup-") as folder:
        cwd = Path(folder)
        (cwd / "page.md").write_text(PAGE, encoding="utf-8")
        python = [sys.executable, "-m", "auditor"]
        bare = _best([sys.executable, "-c", "pass"], cwd, args.repeat)
        version = _best([*python, "--version"], cwd, args.repeat)
        check = [*python, "check", "page.md", "--no-cache"]
        one_page = _best(check, cwd, args.repeat)
        imports = _import_times(check, cwd)
    print(f"best of {args.repeat}, wall clock")
    print(f"(a) python -c pass               {bare * 1000:8.1f} ms")
    print(f"(b) auditor --version            {version * 1000:8.1f} ms")
    print(f"(c) auditor check one page       {one_page * 1000:8.1f} ms")
    print(f"slowest imports of (c), cumulative (top {args.top}):")
    for us, name in imports[: args.top]:
        print(f"  {us / 1000:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
