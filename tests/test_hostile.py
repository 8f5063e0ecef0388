"""Hostile input end to end: `auditor check` over every bad case of tests/hostile/.

The run must exit 0 or 1, print no traceback, list every page once in the
JSON report, and give each bad page its io finding; the ordinary pages
beside them are audited as usual.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.config import Config, Limits, load_config
from auditor.engine.auditor import Auditor
from auditor.engine.results import FileResult
from auditor.input.discovery import discover
from auditor.models import Severity
from auditor.registry import default_registry
from auditor.report import Report
from auditor.reporters import FORMATS

from .conftest import FIXTURES
from .hostile import ENGLISH, HostileTree, build


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileTree:
    tree = build(tmp_path_factory.mktemp("hostile"))
    yield tree
    tree.unlock()


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Strict UTF-8 on the way out: a file name that is not UTF-8 must not reach the output raw.
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run([sys.executable, "-m", "auditor", "check", *args], capture_output=True, cwd=cwd, env=env)


def test_check_over_the_hostile_tree_reports_every_page_once(hostile: HostileTree) -> None:
    result = run(".", "--format", "json", cwd=hostile.root)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode in (0, 1), stderr
    assert "Traceback" not in stderr and stderr == ""
    report = json.loads(result.stdout.decode("utf-8"))
    paths = [entry["path"] for entry in report["files"]]
    assert sorted(paths) == sorted(hostile.pages), "one report entry per page, no more, no less"
    for entry in report["files"]:
        why, codes = hostile.pages[entry["path"]]
        got = {f["rule"] for f in entry["findings"] if f["check"] == "io"}
        assert got == codes, f"{entry['path']} ({why}): io findings {got}, expected {codes}"
        for finding in entry["findings"]:
            assert finding["line"] >= 1 and finding["column"] >= 1
    assert report["summary"]["files"] == len(hostile.pages)


def test_text_report_over_the_hostile_tree_and_its_exit_status(hostile: HostileTree) -> None:
    """The io findings are warnings (IO008 info): alone they leave the exit status at 0 under the default --fail-on."""
    result = run(".", "--select", "io", cwd=hostile.root)
    assert result.returncode == 0
    assert result.stderr == b""
    text = result.stdout.decode("utf-8")  # strict: valid UTF-8 throughout
    assert "latin1-caf\\xe9.md:1:1: IO009" in text or "latin1-caf" in str(hostile.skipped)
    assert "loop-a.md:1:1: IO001 [warning] loop-a.md is a symlink loop; it was not audited" in text
    assert text.rstrip().splitlines()[-1].endswith(f"of {len(hostile.pages)} files.")


def _auditor() -> Auditor:
    registry = default_registry()
    return Auditor(registry, Config(selected=frozenset(registry.rules)))


def test_a_file_that_vanishes_during_the_run(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n" + ENGLISH, encoding="utf-8")
    files = discover([str(tmp_path)], Config(root=tmp_path))
    page.unlink()
    result = _auditor().audit_path(files[0])
    assert [(f.rule, f.line) for f in result.findings] == [("IO001", 1)]
    assert "does not exist (or was deleted during the run)" in result.findings[0].message


def test_a_file_that_becomes_unreadable_during_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n" + ENGLISH, encoding="utf-8")
    files = discover([str(tmp_path)], Config(root=tmp_path))
    page.chmod(0)
    if os.access(page, os.R_OK):  # root reads it anyway: make opening it fail as it would for a user

        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr("auditor.input.loading.open", refuse, raising=False)
    result = _auditor().audit_path(files[0])
    assert [(f.rule, f.line) for f in result.findings] == [("IO001", 1)]
    assert "cannot be read: Permission denied" in result.findings[0].message


def test_a_folder_without_permission_is_reported_not_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "page.md").write_text("# Title\n", encoding="utf-8")
    (tmp_path / "open.md").write_text("# Title\n", encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):  # root lists it anyway: make listing it fail as it would for a user
            real_scandir = os.scandir

            def scandir(path: object = ".") -> object:
                if Path(os.fsdecode(path)) == locked:  # type: ignore[arg-type]
                    raise PermissionError(13, "Permission denied", str(path))
                return real_scandir(path)  # type: ignore[arg-type]

            monkeypatch.setattr(os, "scandir", scandir)
        files = discover([str(tmp_path)], load_config(default_registry(), start=tmp_path))
        assert files == [str(locked), str(tmp_path / "open.md")]
        result = _auditor().audit_path(files[0])
    finally:
        locked.chmod(0o755)
    assert [f.rule for f in result.findings] == ["IO001"]
    assert "is a folder that cannot be listed (Permission denied)" in result.findings[0].message


def _limited(**limits: float) -> Auditor:
    registry = default_registry()
    return Auditor(registry, Config(selected=frozenset(registry.rules), limits=Limits(**limits)))  # type: ignore[arg-type]


def test_findings_cut_keeps_the_most_severe_and_the_exit_status() -> None:
    spam = (FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8")
    full = _limited(max_findings_per_file=0).audit_text("promo.md", spam, "markdown").findings
    cut = _limited(max_findings_per_file=2).audit_text("promo.md", spam, "markdown").findings
    assert len(full) > 3
    listed = [f for f in cut if f.rule != "IO005"]
    assert len(listed) == 2 and all(f.severity is Severity.ERROR for f in listed)
    (summary,) = [f for f in cut if f.rule == "IO005"]
    assert summary.message.startswith(f"{len(full) - 2:,} more findings were not listed")
    assert Report([FileResult("a", "markdown", findings=cut)]).fails(Severity.ERROR)


def test_a_page_over_the_size_limit_is_audited_up_to_it() -> None:
    spam = (FIXTURES / "twins" / "promo.md").read_bytes()
    data = spam + b"\n" + b"Plain filler text for the rest of the page.\n" * 5000
    result = _limited(max_file_size=len(spam) + 1).audit_bytes("big.md", data, "markdown")
    (too_large,) = [f for f in result.findings if f.rule == "IO003"]
    assert f"the file is {len(data):,} bytes" in too_large.message
    last_line = spam.count(b"\n") + 1
    assert any(f.check == "promo-links" for f in result.findings)
    assert all(f.line <= last_line for f in result.findings)


def test_a_file_name_that_is_not_utf8_is_printable_in_reports() -> None:
    path = os.fsdecode(b"caf\xe9.md")
    result = _auditor().audit_text(path, (FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8"), "markdown")
    assert result.path == "caf\\xe9.md"
    assert {f.path for f in result.findings} == {"caf\\xe9.md"}
    assert "IO009" in {f.rule for f in result.findings}
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    for render in FORMATS.values():
        render(Report([result]), out, False)  # would raise on a lone surrogate
