"""The baseline through the real command: known findings stay hidden after edits above them, new ones show."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import insert_line_at_top
from .test_cli import run

EXAMPLES = Path(__file__).parents[1] / "examples"
NEW_SPAM = "Questions? Message me on Telegram: https://t.me/passive_cash_club"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    return tmp_path


def _findings(result_stdout: str) -> list[dict]:
    return [dict(f, path=entry["path"]) for entry in json.loads(result_stdout)["files"] for f in entry["findings"]]


def test_baseline_survives_a_line_inserted_at_the_top_and_still_reports_new_spam(copy: Path) -> None:
    before = _findings(run("check", "examples", "--format", "json", cwd=copy).stdout)
    written = run("check", "examples", "--write-baseline", "baseline.json", cwd=copy)
    assert written.returncode == 0 and f"Wrote {len(before)} findings" in written.stdout
    pages = [p for p in (copy / "examples").rglob("*") if p.suffix in (".md", ".html")]
    assert len(pages) == 7
    for page in pages:
        insert_line_at_top(page)

    quiet = run("check", "examples", "--baseline", "baseline.json", "--format", "json", cwd=copy)
    assert quiet.returncode == 0, quiet.stdout
    assert _findings(quiet.stdout) == []
    text = run("check", "examples", "--baseline", "baseline.json", cwd=copy)
    assert text.stdout.strip() == f"All clear: no findings in 7 files ({len(before)} more in the baseline)."

    page = copy / "examples" / "spam" / "passive-income.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + NEW_SPAM + "\n", encoding="utf-8")
    new = run("check", "examples", "--baseline", "baseline.json", "--format", "json", "--fail-on", "warning", cwd=copy)
    found = _findings(new.stdout)
    assert [(f["path"], f["rule"], f["evidence"]) for f in found] == [
        ("examples/spam/passive-income.md", "PL401", "https://t.me/passive_cash_club")
    ]
    assert new.returncode == 1


def test_a_repeat_of_a_known_finding_is_new(copy: Path) -> None:
    """Two findings with the same rule, page and evidence: the baseline holds one, so the second is reported."""
    page = copy / "examples" / "spam" / "cheap-vpn.md"
    run("check", "examples", "--write-baseline", "baseline.json", cwd=copy)
    text = page.read_text(encoding="utf-8")
    claim = "总的来说，星云机场是性价比最高的选择。"
    assert claim in text
    page.write_text(text + "\n" + claim + "\n", encoding="utf-8")
    found = _findings(run("check", "examples", "--baseline", "baseline.json", "--format", "json", cwd=copy).stdout)
    last_line = len(page.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    assert [(f["rule"], f["evidence"], f["line"]) for f in found] == [("UC301", claim, last_line)]


def test_baseline_paths_are_relative_to_the_baseline_file(copy: Path) -> None:
    run("check", "examples", "--write-baseline", "baseline.json", cwd=copy)
    document = json.loads((copy / "baseline.json").read_text(encoding="utf-8"))
    entries = document["findings"]
    assert document["auditor-baseline"] == 1
    assert entries == sorted(entries, key=lambda e: (e["path"], e["rule"], e["evidence"]))
    assert all(e["path"].startswith("examples/spam/") for e in entries)
    inside = run("check", ".", "--baseline", "../baseline.json", cwd=copy / "examples")
    assert inside.returncode == 0 and inside.stdout.startswith("All clear")


def test_a_broken_baseline_is_exit_2(copy: Path) -> None:
    (copy / "baseline.json").write_text("{not json", encoding="utf-8")
    result = run("check", "examples", "--baseline", "baseline.json", cwd=copy)
    assert result.returncode == 2 and "baseline.json" in result.stderr and "Traceback" not in result.stderr
    missing = run("check", "examples", "--baseline", "nope.json", cwd=copy)
    assert missing.returncode == 2 and "nope.json" in missing.stderr
    both = run("check", "examples", "--baseline", "a.json", "--write-baseline", "b.json", cwd=copy)
    assert both.returncode == 2
