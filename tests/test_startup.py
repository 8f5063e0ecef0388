"""Start-up: `auditor --version` and a small English page import nothing they do not need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("jieba", "jieba_fast", "bs4", "markdown_it", "typer", "yaml", "pydantic")

# Runs the command in a fresh interpreter and prints which heavy packages it imported.
PROBE = """
import json, sys
heavy = set(json.loads(sys.argv[2]))
sys.argv = ["auditor", *json.loads(sys.argv[1])]
from auditor.cli.entry import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("IMPORTED " + json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)) + "\\n")
"""


def imported(*args: str, cwd: Path) -> set[str]:
    argv = [sys.executable, "-c", PROBE, json.dumps(list(args)), json.dumps(HEAVY)]
    result = subprocess.run(argv, capture_output=True, text=True, cwd=cwd)
    line = next((line for line in result.stderr.splitlines() if line.startswith("IMPORTED ")), result.stderr)
    return set(json.loads(line.removeprefix("IMPORTED ")))


REPORTERS = tuple(
    f"auditor.reporters.{name}"
    for name in ("html", "sarif", "junit", "gitlab", "rdjson", "json_report", "github", "json_lines", "statistics")
)


def loaded(*args: str, cwd: Path, names: tuple[str, ...]) -> set[str]:
    """Which of the modules `names` (full dotted names) a command imported."""
    probe = PROBE.replace('{m.split(".")[0] for m in sys.modules}', "set(sys.modules)")
    argv = [sys.executable, "-c", probe, json.dumps(list(args)), json.dumps(names)]
    result = subprocess.run(argv, capture_output=True, text=True, cwd=cwd)
    line = next((line for line in result.stderr.splitlines() if line.startswith("IMPORTED ")), result.stderr)
    return set(json.loads(line.removeprefix("IMPORTED ")))


def test_version_imports_nothing_heavy(tmp_path: Path) -> None:
    assert imported("--version", cwd=tmp_path) == set()


def test_a_small_english_markdown_page_needs_markdown_it_only(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("# Release notes\n\nThis release fixes two bugs.\n", encoding="utf-8")
    found = imported("check", "page.md", "--no-cache", cwd=tmp_path)
    assert "markdown_it" in found
    assert not found & {"jieba", "jieba_fast", "bs4"}


def test_a_small_english_html_page_needs_bs4_only(tmp_path: Path) -> None:
    page = "<html><head><title>Notes</title></head><body><p>This release fixes two bugs.</p></body></html>"
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    found = imported("check", "page.html", "--no-cache", cwd=tmp_path)
    assert "bs4" in found
    assert not found & {"jieba", "jieba_fast", "markdown_it"}


def test_a_chinese_page_loads_the_segmenter(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("# 发布说明\n\n这个版本修复了配置加载的两个问题。\n", encoding="utf-8")
    assert imported("check", "page.md", "--no-cache", cwd=tmp_path) & {"jieba", "jieba_fast"}


def test_a_cached_page_needs_no_parser(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("# 发布说明\n\n这个版本修复了配置加载的两个问题。\n", encoding="utf-8")
    imported("check", "page.md", cwd=tmp_path)
    assert not imported("check", "page.md", cwd=tmp_path) & {"jieba", "jieba_fast", "markdown_it", "bs4"}


def test_a_one_page_run_imports_neither_pydantic_nor_unused_reporters(tmp_path: Path) -> None:
    # typer 0.29 imports pydantic for every parameter it builds (about 0.1 s): pyproject pins below it.
    (tmp_path / "page.md").write_text("# Release notes\n\nThis release fixes two bugs.\n", encoding="utf-8")
    assert "pydantic" not in imported("check", "page.md", "--no-cache", cwd=tmp_path)
    assert loaded("check", "page.md", "--no-cache", cwd=tmp_path, names=REPORTERS) == set()


def test_a_run_imports_the_one_reporter_it_writes_with(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("# Release notes\n\nThis release fixes two bugs.\n", encoding="utf-8")
    sarif = loaded("check", "page.md", "--no-cache", "--format", "sarif", cwd=tmp_path, names=REPORTERS)
    assert sarif == {"auditor.reporters.sarif"}
