"""The command line through its real entry points: exit codes, formats, rules, explain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES

SPAM = (FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8")
CLEAN = "# Release notes\n\nThis release fixes two bugs in the config loader.\n"
SCRIPT = Path(sys.executable).with_name("auditor")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, cwd=cwd, env=env)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "spam.md").write_text(SPAM, encoding="utf-8")
    (tmp_path / "docs" / "clean.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "docs" / "notes.txt").write_text("not a page", encoding="utf-8")
    return tmp_path


def test_console_script_is_installed() -> None:
    result = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("auditor ")


def test_text_report_and_exit_1_on_errors(site: Path) -> None:
    result = run("check", "docs", cwd=site)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("docs/spam.md:") and "[error]" in line for line in lines)
    assert not any(line.startswith("docs/clean.md") for line in lines)
    assert lines[-1].startswith("Found ") and "of 2 files" in lines[-1]
    assert "\033[" not in result.stdout


def test_clean_pages_exit_0(site: Path) -> None:
    result = run("check", "docs/clean.md", cwd=site)
    assert result.returncode == 0
    assert result.stdout.strip() == "All clear: no findings in 1 file."


def test_json_report_lists_every_file(site: Path) -> None:
    result = run("check", "docs", "--format", "json", cwd=site)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["tool"]["name"] == "auditor"
    assert [f["path"] for f in report["files"]] == ["docs/clean.md", "docs/spam.md"]
    assert report["files"][0]["findings"] == []
    finding = report["files"][1]["findings"][0]
    assert set(finding) == {
        "rule",
        "name",
        "check",
        "severity",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "evidence",
    }
    assert report["summary"]["files"] == 2
    assert report["summary"]["errors"] >= 1


def test_fail_on_and_ignore_change_the_exit_status(site: Path) -> None:
    assert run("check", "docs", "--ignore", "KS,TS,UC,PL", cwd=site).returncode == 0
    assert run("check", "docs", "--select", "io", cwd=site).returncode == 0


def test_select_limits_the_rules(site: Path) -> None:
    result = run("check", "docs", "--select", "promo-links", "--format", "json", cwd=site)
    rules = {f["rule"] for entry in json.loads(result.stdout)["files"] for f in entry["findings"]}
    assert rules and all(code.startswith("PL") for code in rules)


def test_invalid_config_is_exit_2_naming_the_key(site: Path) -> None:
    (site / "auditor.toml").write_text('selct = ["KS"]\n', encoding="utf-8")
    result = run("check", "docs", cwd=site)
    assert result.returncode == 2
    assert "selct" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_is_exit_2(site: Path) -> None:
    assert run("check", "--no-such-flag", cwd=site).returncode == 2


def test_rules_lists_every_rule() -> None:
    result = run("rules")
    assert result.returncode == 0
    codes = [line.split()[0] for line in result.stdout.splitlines()]
    for prefix in ("KS", "TS", "UC", "PL"):
        assert sum(code.startswith(prefix) for code in codes) >= 2


def test_explain_prints_the_rule_docs() -> None:
    listing = json.loads(run("rules", "--json").stdout)
    first = next(r for r in listing if r["code"].startswith("KS"))
    result = run("explain", first["code"])
    assert result.returncode == 0
    assert "**What it catches**" in result.stdout and "**Better**" in result.stdout
    assert run("explain", first["name"]).stdout == result.stdout
    missing = run("explain", "ZZ999")
    assert missing.returncode == 2 and "ZZ999" in missing.stderr


FARM_PAGE = """# Notes on {topic}

Some plain notes about {topic}, written for the team wiki, with nothing to sell.

{disable}Get the full guide at [this page](https://bit.ly/farm-guide-2025).
"""


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    for index, topic in enumerate(("gardening", "cycling", "baking")):
        disable = "<!-- auditor-disable-next-line PL408 -->\n" if topic == "baking" else ""
        page = FARM_PAGE.format(topic=topic, disable=disable)
        (tmp_path / f"page{index}.md").write_text(page, encoding="utf-8")
    return tmp_path


def _rules_by_file(result: subprocess.CompletedProcess[str]) -> dict[str, set[str]]:
    return {f["path"]: {x["rule"] for x in f["findings"]} for f in json.loads(result.stdout)["files"]}


def test_site_rules_run_across_pages_and_obey_suppressions(farm: Path) -> None:
    rules = _rules_by_file(run("check", ".", "--format", "json", cwd=farm))
    assert "PL408" in rules["page0.md"] and "PL408" in rules["page1.md"]
    assert "PL408" not in rules["page2.md"]


def test_a_single_file_run_skips_site_rules(farm: Path) -> None:
    rules = _rules_by_file(run("check", "page0.md", "--format", "json", cwd=farm))
    assert "PL408" not in rules["page0.md"]
