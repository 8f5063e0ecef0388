"""The page verdict (PV501) through the command line: in a site run it weighs the site findings too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli import run

# Alone, each page scores under the threshold: one unsupported superlative, one promise,
# one referral link. Over the site, the same referral link on four pages is PL408 as well.
PAGE = """# 第{n}期：记账软件

这是全网最好用的记账软件，百分百安全。

下载地址：[点击这里](https://get-ledger-app.example/download?aff=LX9K2)
"""


@pytest.fixture
def farm(tmp_path: Path) -> Path:
    for n in range(1, 5):
        (tmp_path / f"p{n}.md").write_text(PAGE.format(n=n), encoding="utf-8")
    return tmp_path


def _verdicts(stdout: str) -> dict[str, str]:
    files = json.loads(stdout)["files"]
    return {page["path"]: f["message"] for page in files for f in page["findings"] if f["rule"] == "PV501"}


def test_site_findings_count_toward_the_verdict_of_each_page(farm: Path) -> None:
    site = run("check", ".", "--format", "json", "--no-cache", cwd=farm)
    verdicts = _verdicts(site.stdout)
    assert sorted(verdicts) == ["p1.md", "p2.md", "p3.md", "p4.md"]
    assert "PL408 error" in verdicts["p1.md"] and "PL404" in verdicts["p1.md"]
    alone = run("check", "p1.md", "--format", "json", "--no-cache", cwd=farm)
    assert _verdicts(alone.stdout) == {}


def test_a_warm_cache_gives_the_same_verdicts(farm: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    cache = str(tmp_path_factory.mktemp("cache"))
    cold = run("check", ".", "--format", "json", "--cache-dir", cache, cwd=farm)
    warm = run("check", ".", "--format", "json", "--cache-dir", cache, cwd=farm)
    assert len(_verdicts(cold.stdout)) == 4
    assert warm.stdout == cold.stdout


def test_silenced_findings_do_not_count_and_the_verdict_can_be_silenced(farm: Path) -> None:
    (farm / "p1.md").write_text("<!-- auditor-disable PL408 -->\n" + PAGE.format(n=1), encoding="utf-8")
    (farm / "p2.md").write_text("<!-- auditor-disable PV501 -->\n" + PAGE.format(n=2), encoding="utf-8")
    verdicts = _verdicts(run("check", ".", "--format", "json", "--no-cache", cwd=farm).stdout)
    assert sorted(verdicts) == ["p3.md", "p4.md"]


def test_the_verdict_lists_its_parts_and_where_they_fire(farm: Path) -> None:
    result = run("check", ".", "--no-cache", cwd=farm)
    line = next(line for line in result.stdout.splitlines() if line.startswith("p1.md:1:1: PV501"))
    assert "reads as promotion (score " in line and "≥ 5.0" in line
    assert "PL408 first at line 5" in result.stdout
