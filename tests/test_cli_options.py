"""Options of `check` through the real command: --output-file, --statistics, --exit-zero, --quiet."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .test_cli import CLEAN, run

# An English page: no Chinese segmenter to load, so each run is quick.
SPAM = (Path(__file__).parents[1] / "examples" / "spam" / "passive-income.md").read_text(encoding="utf-8")


def _site(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "spam.md").write_text(SPAM, encoding="utf-8")
    (tmp_path / "docs" / "clean.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_output_file_gets_the_report_and_the_terminal_the_summary(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run("check", "docs", "--format", "json", "-o", "report.json", cwd=site)
    assert result.returncode == 1
    assert result.stdout.startswith("Found ") and len(result.stdout.splitlines()) == 1
    report = json.loads((site / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["errors"] >= 1
    text = run("check", "docs", "--output-file", "report.txt", cwd=site)
    assert (site / "report.txt").read_text(encoding="utf-8").splitlines()[-1] == text.stdout.strip()
    assert run("check", "docs", "-o", "report.txt", "--quiet", cwd=site).stdout == ""


def test_output_file_that_cannot_be_written_is_exit_2(tmp_path: Path) -> None:
    result = run("check", "docs", "-o", "no/such/folder/report.txt", cwd=_site(tmp_path))
    assert result.returncode == 2 and "cannot write the report" in result.stderr


def test_statistics_count_findings_per_rule(tmp_path: Path) -> None:
    site = _site(tmp_path)
    findings = json.loads(run("check", "docs", "--format", "json", cwd=site).stdout)["files"][1]["findings"]
    expected = Counter(f["rule"] for f in findings)
    table = run("check", "docs", "--statistics", cwd=site)
    assert table.returncode == 1
    lines = table.stdout.splitlines()
    assert lines[-1].startswith("Found ")
    assert {line.split()[1]: int(line.split()[0]) for line in lines[:-1]} == expected
    counts = [int(line.split()[0]) for line in lines[:-1]]
    assert counts == sorted(counts, reverse=True)
    as_json = json.loads(run("check", "docs", "--statistics", "--format", "json", cwd=site).stdout)
    assert {row["code"]: row["count"] for row in as_json} == expected
    assert all(row["errors"] + row["warnings"] + row["infos"] == row["count"] for row in as_json)


def test_exit_zero_keeps_the_report_but_not_the_failure(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = run("check", "docs", "--exit-zero", cwd=site)
    assert result.returncode == 0 and "docs/spam.md:" in result.stdout
    (site / "auditor.toml").write_text("nonsense = 1\n", encoding="utf-8")
    assert run("check", "docs", "--exit-zero", cwd=site).returncode == 2


def test_quiet_prints_the_findings_and_nothing_else(tmp_path: Path) -> None:
    site = _site(tmp_path)
    loud = run("check", "docs", "--format", "concise", cwd=site).stdout.splitlines()
    quiet = run("check", "docs", "--format", "concise", "-q", cwd=site)
    assert quiet.returncode == 1
    assert quiet.stdout.splitlines() == loud[:-1] and loud[-1].startswith("Found ")
    assert run("check", "docs/clean.md", "--quiet", cwd=site).stdout == ""
    text = run("check", "docs", "--quiet", cwd=site).stdout
    assert "docs/spam.md:" in text and "Found " not in text
