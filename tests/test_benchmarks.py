"""The benchmarks still run: each one on a tiny input, its table checked for the rows it promises.

Their figures are not asserted (timings flake on shared machines); what breaks
silently otherwise is a benchmark that no longer starts after a change to the
code it drives, as one did after a merge.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Real sites, when a checkout of them is given (CI sets AUDITOR_BENCH_SITES).
SITES = Path(os.environ.get("AUDITOR_BENCH_SITES", "/nonexistent"))
NUMBER = r"\d+(?:\.\d+)?"


def bench(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_throughput_measures_every_run_against_the_floor() -> None:
    out = bench("throughput.py", "examples", "--repeat", "1", "--jobs", "2")
    assert "examples: 7 files" in out
    for label in ("(a) floor", "(b) cold, 1 job", "(c) cold, 2 jobs", "(d) warm", "(e) auditor --version"):
        assert re.search(rf"^{re.escape(label)}.*\s{NUMBER}\s", out, re.M), label
    assert re.search(rf"\(b\)/\(a\) = {NUMBER}", out)
    assert re.search(rf"\(d\)/\(b\) = {NUMBER}%", out)


@pytest.mark.skipif(not SITES.is_dir(), reason="needs a folder of real sites in AUDITOR_BENCH_SITES")
def test_site_scale_times_the_site_phase() -> None:
    out = bench("site_scale.py", "--sites", str(SITES), "--sizes", "200", "--jobs", "1")
    assert re.search(rf"^\s+200\s+\d+\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}", out, re.M), out


@pytest.mark.parametrize("script", ["throughput.py", "site_scale.py"])
def test_benchmarks_of_real_pages_ask_for_them(script: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2, "no default input: it says what to point it at"
    help_text = bench(script, "--help")
    assert "FOLDER" in help_text
    assert "../shared" not in help_text


def test_adversarial_pages_give_the_ratio_ci_holds() -> None:
    out = bench("adversarial.py", "--size", "16")
    assert re.search(rf"ratio \(slowest worst case / ordinary mean\): {NUMBER}", out), out


def test_lsp_latency_reaches_the_first_diagnostics() -> None:
    out = bench("lsp_latency.py", "--repeat", "1")
    assert re.search(rf"spawn to diagnostics\s+median\s+{NUMBER} s", out), out


def test_warc_scale_audits_a_generated_crawl(tmp_path: Path) -> None:
    pytest.importorskip("warcio", reason="the WARC benchmark needs the `dask` (or `warc`) extra")
    out = bench("warc_scale.py", "--pages", "60", "--engines", "local", "--warc", str(tmp_path / "crawl.warc.gz"))
    assert re.search(rf"^local\s+60\s+{NUMBER}\s+{NUMBER}\s+\d+", out, re.M), out


def test_cache_prune_times_each_case() -> None:
    out = bench("cache_prune.py", "--entries", "20", "--repeat", "1")
    assert "cache of 20 entries" in out
    for label in ("(a) prune at the end of a run", "(b) daily scan", "(c) first run after an upgrade", "(r) that"):
        assert re.search(rf"^{re.escape(label)}.*\s{NUMBER} ms", out, re.M), label
