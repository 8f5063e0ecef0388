"""Symlinks out of the audited tree (IO010), through the real command line: never read, in any format."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from auditor.cli.app import OutputFormat
from auditor.config import Config
from auditor.input.discovery import OutsideLink, discover

from .test_cli import SPAM, run

# In the outside file only: seeing it in any output means the target was read and reported.
SECRET = "TOPSECRET-7f3a9c"
TARGET_FOLDER = "elsewhere-q8"  # the target's path must not be shown either
FORMATS = [fmt.value for fmt in OutputFormat]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """`site/docs` with a page, links out of it (a page, a page through an in-tree hop, a folder)
    and an in-tree link; the secret lives in a folder next to `site/`."""
    outside = tmp_path / TARGET_FOLDER
    outside.mkdir()
    # Spam, so that a page read would be reported with evidence quoting its lines.
    (outside / "secret.md").write_text(f"# {SECRET}\n\n{SPAM}\n{SECRET} buy now {SECRET}\n", encoding="utf-8")
    docs = tmp_path / "site" / "docs"
    docs.mkdir(parents=True)
    (docs / "spam.md").write_text(SPAM, encoding="utf-8")
    (docs / "link.md").symlink_to(f"../../{TARGET_FOLDER}/secret.md")
    (docs / "hop.md").symlink_to("link.md")  # in the tree itself, but it ends outside
    (docs / "extdir").symlink_to(f"../../{TARGET_FOLDER}", target_is_directory=True)
    (docs / "inlink.md").symlink_to("spam.md")
    return tmp_path / "site"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_link_out_of_the_tree_never_shows_its_target_in_any_format(tree: Path, fmt: str) -> None:
    result = run("check", "docs", "--format", fmt, cwd=tree)
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert SECRET not in output
    assert TARGET_FOLDER not in output and "secret.md" not in output
    assert "IO010" in output
    assert "docs/link.md" in output


def test_io010_names_each_link_once_and_the_in_tree_link_is_audited(tree: Path) -> None:
    report = json.loads(run("check", "docs", "--format", "json", cwd=tree).stdout)
    by_path = {f["path"]: f for f in report["files"]}
    outside = {path for path, f in by_path.items() if any(x["rule"] == "IO010" for x in f["findings"])}
    assert outside == {"docs/link.md", "docs/hop.md", "docs/extdir"}
    for path in outside:
        assert [x["rule"] for x in by_path[path]["findings"]] == ["IO010"]
        (finding,) = by_path[path]["findings"]
        assert finding["severity"] == "warning"
        assert finding["message"].startswith(f"{path} is a symbolic link")
    assert not any(path.startswith("docs/extdir/") for path in by_path)  # the folder link is not walked
    spam_rules = {x["rule"] for x in by_path["docs/spam.md"]["findings"]}
    assert spam_rules and {x["rule"] for x in by_path["docs/inlink.md"]["findings"]} == spam_rules


def test_a_link_named_on_the_command_line_is_read(tree: Path) -> None:
    result = run("check", "docs/link.md", "--format", "json", cwd=tree)
    assert result.returncode == 1, result.stderr
    (page,) = json.loads(result.stdout)["files"]
    rules = {f["rule"] for f in page["findings"]}
    assert "IO010" not in rules and rules


def test_the_html_report_does_not_read_a_link_out_even_with_io010_ignored(tree: Path) -> None:
    result = run("check", "docs", "--format", "html", "--ignore", "IO010", cwd=tree)
    assert SECRET not in result.stdout + result.stderr


def test_excludes_and_gitignore_silence_a_link_out_by_its_own_name(tree: Path) -> None:
    (tree / "docs" / ".gitignore").write_text("link.md\n", encoding="utf-8")
    config = Config(exclude=("hop.md",), root=tree)
    found = discover([str(tree / "docs")], config)
    assert [Path(p).name for p in found if isinstance(p, OutsideLink)] == ["extdir"]


def test_nested_arguments_read_a_link_the_outer_tree_holds(tree: Path) -> None:
    # docs/up.md -> ../top.md is out of `docs` but in `.`: `auditor check . docs` reads it.
    (tree / "top.md").write_text(SPAM, encoding="utf-8")
    (tree / "docs" / "up.md").symlink_to("../top.md")
    alone = discover([str(tree / "docs")], Config(root=tree))
    nested = discover([str(tree), str(tree / "docs")], Config(root=tree))
    assert [Path(p).name for p in alone if isinstance(p, OutsideLink)] == ["extdir", "hop.md", "link.md", "up.md"]
    assert [Path(p).name for p in nested if isinstance(p, OutsideLink)] == ["extdir", "hop.md", "link.md"]


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="needs the dask extra")
def test_the_dask_engine_does_not_read_a_link_out_either(tree: Path) -> None:
    result = run("check", "docs", "--engine", "dask", "--format", "json", cwd=tree)
    assert result.returncode == 1, result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "docs/link.md" in {f["path"] for f in json.loads(result.stdout)["files"]}
