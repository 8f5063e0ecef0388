"""The example plugin of examples/plugin, installed as a user would, listed and run through the CLI.

It is built offline (no build isolation, no index) from a copy, so the
example's folder stays as committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[1] / "examples" / "plugin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a process that has the example plugin installed beside auditor."""
    work = tmp_path_factory.mktemp("plugin")
    shutil.copytree(EXAMPLE, work / "src")
    target = work / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
         "--target", str(target), str(work / "src")],
        check=True,
        capture_output=True,
    )
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(target)}


def _run(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd)


def test_the_plugin_rule_is_listed_and_explained(installed: dict[str, str]) -> None:
    rules = _run(installed, "-m", "auditor", "rules")
    assert rules.returncode == 0, rules.stderr
    assert any(line.split()[:3] == ["XP101", "placeholder-text", "placeholder"] for line in rules.stdout.splitlines())
    explained = _run(installed, "-m", "auditor", "explain", "placeholder-text")
    assert "**What it catches**" in explained.stdout


def test_the_plugin_rule_fires_and_is_silenced(installed: dict[str, str], tmp_path: Path) -> None:
    page = tmp_path / "plans.md"
    page.write_text("# Plans\n\nOur plan costs [insert price] a month.\n", encoding="utf-8")
    result = _run(installed, "-m", "auditor", "check", "plans.md", "--no-cache", cwd=tmp_path)
    assert "plans.md:3:16: XP101 [warning] placeholder ‘[insert price]’" in result.stdout
    silenced = "# Plans\n\n<!-- auditor-disable-next-line XP101 -->\nOur plan costs [insert price] a month.\n"
    page.write_text(silenced, encoding="utf-8")
    result = _run(installed, "-m", "auditor", "check", "plans.md", "--no-cache", cwd=tmp_path)
    assert "XP101" not in result.stdout


def test_the_plugin_runs_its_own_cases_with_the_shipped_harness(installed: dict[str, str]) -> None:
    result = _run(installed, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_an_edit_to_the_installed_plugin_is_not_served_from_the_cache(
    installed: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "plans.md").write_text("# Plans\n\nTBD.\n", encoding="utf-8")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    before = _run(installed, "-m", "auditor", "check", "plans.md", *cache, cwd=tmp_path)
    assert "left in the text" in before.stdout
    module = Path(installed["PYTHONPATH"]) / "auditor_placeholder" / "__init__.py"
    original = module.read_text(encoding="utf-8")
    try:
        module.write_text(original.replace("left in the text", "still in the text"), encoding="utf-8")
        after = _run(installed, "-m", "auditor", "check", "plans.md", *cache, cwd=tmp_path)
    finally:
        module.write_text(original, encoding="utf-8")
    assert "still in the text" in after.stdout
