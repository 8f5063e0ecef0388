"""Reading one page from standard input: `auditor check - --stdin-filename NAME`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES
from .test_cli import run

HTML = (FIXTURES / "twins" / "promo.html").read_text(encoding="utf-8")
MARKDOWN = (FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8")


def piped(text: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "auditor", "check", *args], input=text, capture_output=True, text=True, cwd=cwd, env=env
    )


def _findings(stdout: str) -> list[tuple[str, str, int, int]]:
    files = json.loads(stdout)["files"]
    return [(entry["path"], f["rule"], f["line"], f["column"]) for entry in files for f in entry["findings"]]


def test_the_name_is_the_path_in_the_report_and_picks_the_format(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.html").write_text(HTML, encoding="utf-8")
    from_file = run("check", "docs/page.html", "--format", "json", cwd=tmp_path)
    from_stdin = piped(HTML, "-", "--stdin-filename", "docs/page.html", "--format", "json", cwd=tmp_path)
    assert from_stdin.returncode == from_file.returncode == 1
    assert _findings(from_stdin.stdout) == _findings(from_file.stdout)
    assert json.loads(from_stdin.stdout)["files"][0]["format"] == "html"
    as_markdown = piped(HTML, "--stdin-filename", "docs/page.md", "--format", "json", cwd=tmp_path)
    assert json.loads(as_markdown.stdout)["files"][0]["format"] == "markdown"
    assert {path for path, *_ in _findings(as_markdown.stdout)} == {"docs/page.md"}


def test_the_name_picks_the_config_and_its_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "auditor.toml").write_text(
        '[per-file-ignores]\n"sponsors.md" = ["promo-links"]\n', encoding="utf-8"
    )
    everything = {rule for _, rule, *_ in _findings(piped(MARKDOWN, "-", "--format", "json", cwd=tmp_path).stdout)}
    sponsors = piped(MARKDOWN, "-", "--stdin-filename", "blog/sponsors.md", "--format", "json", cwd=tmp_path)
    rules = {rule for _, rule, *_ in _findings(sponsors.stdout)}
    assert any(code.startswith("PL") for code in everything)
    # Without its promo links the page no longer adds up to the verdict (PV501) either.
    assert rules == {code for code in everything if not code.startswith(("PL", "PV"))}


def test_without_a_name_the_page_is_markdown_called_dash(tmp_path: Path) -> None:
    result = piped(MARKDOWN, "-", "--format", "concise", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("-:1:1: PV501 ")
    assert "\n-:2:27: PL402 " in result.stdout


def test_standard_input_with_other_paths_is_exit_2(tmp_path: Path) -> None:
    assert piped("", "-", ".", cwd=tmp_path).returncode == 2
    assert piped("", ".", "--stdin-filename", "a.md", cwd=tmp_path).returncode == 2
