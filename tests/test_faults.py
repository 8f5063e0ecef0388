"""A failing check does not fail the run: it raises or hangs, and is reported once as IO006.

The faulty checks of tests/plugins/faulty_checks.py are installed the way a
third-party package installs its checks: an `auditor.checks` entry point in a
dist-info folder on PYTHONPATH, found by the real registry of a real
`python -m auditor` process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from auditor.config import Config, Limits
from auditor.engine import guard
from auditor.engine.auditor import Auditor
from auditor.registry import Registry, default_registry

from .conftest import FIXTURES
from .plugins import faulty_checks

SPAM = (FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8")
CLEAN = "# Release notes\n\nThis release fixes two bugs in the config loader.\n"
PLUGINS = Path(__file__).parent / "plugins"


def _install_plugins(site_packages: Path) -> None:
    dist = site_packages / "faulty_checks-0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: faulty-checks\nVersion: 0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[auditor.checks]\n"
        "raising-plugin = tests.plugins.faulty_checks:RAISING\n"
        "hanging-plugin = tests.plugins.faulty_checks:HANGING\n"
        "site-raising-plugin = tests.plugins.faulty_checks:SITE_RAISING\n",
        encoding="utf-8",
    )


def run_with_plugins(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    site_packages = tmp_path / "site-packages"
    _install_plugins(site_packages)
    repo = Path(__file__).parents[1]
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join([str(site_packages), str(repo)])}
    return subprocess.run(
        [sys.executable, "-m", "auditor", "check", *args], capture_output=True, text=True, cwd=tmp_path, env=env
    )


def test_raising_and_hanging_plugins_are_reported_once_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "auditor.toml").write_text("check-timeout = 2\n", encoding="utf-8")
    (tmp_path / "spam.md").write_text(SPAM, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    result = run_with_plugins(tmp_path, ".", "--format", "json")
    assert result.returncode == 1, result.stderr  # the spam page's errors, as without the plugins
    assert "Traceback" not in result.stderr
    files = {entry["path"]: entry["findings"] for entry in json.loads(result.stdout)["files"]}
    assert set(files) == {"clean.md", "spam.md"}
    for path, findings in files.items():
        internal = sorted(f["message"] for f in findings if f["rule"] == "IO006" and "on this page" in f["message"])
        assert len(internal) == 2, (path, internal)
        assert "check 'hanging-plugin'" in internal[0] and "check-timeout (2 s)" in internal[0]
        assert "check 'raising-plugin'" in internal[1] and "ZeroDivisionError: plugin bug on" in internal[1]
        assert not any(f["rule"].startswith("Z") for f in findings)  # the failing rule's partial hits are dropped
    assert any(f["rule"] == "PL401" for f in files["spam.md"])  # the other checks' findings still appear
    site_failure = [f for f in files["clean.md"] if "across the site" in f["message"]]
    assert [f["rule"] for f in site_failure] == ["IO006"]
    assert "site-raising-plugin" in site_failure[0]["message"] and "KeyError" in site_failure[0]["message"]


def test_a_failing_check_leaves_the_exit_status_alone(tmp_path: Path) -> None:
    (tmp_path / "auditor.toml").write_text("check-timeout = 0.5\n", encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    result = run_with_plugins(tmp_path, "clean.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("IO006") == 2


def _auditor(*checks: object) -> Auditor:
    registry = Registry([*default_registry().checks, *checks])  # type: ignore[list-item]
    return Auditor(registry, Config(selected=frozenset(registry.rules), limits=Limits(check_timeout=1)))


def test_a_raising_check_is_reported_in_a_thread_too() -> None:
    """Off the main thread (a language server) there is no timer, but exceptions are still caught."""
    found: list[str] = []

    def audit() -> None:
        assert not guard.can_limit_time()
        result = _auditor(faulty_checks.RAISING).audit_text("page.md", SPAM, "markdown")
        found.extend(f.rule for f in result.findings)

    worker = threading.Thread(target=audit)
    worker.start()
    worker.join()
    assert found.count("IO006") == 1 and "PL401" in found


def test_the_timer_of_the_caller_is_given_back() -> None:
    import signal

    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        result = _auditor(faulty_checks.HANGING).audit_text("page.md", CLEAN, "markdown")
        left, _ = signal.getitimer(signal.ITIMER_REAL)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    assert [f.rule for f in result.findings] == ["IO006"]
    assert 90 < left <= 100


def test_a_failing_parser_is_an_internal_error_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("auditor.engine.pages.parse_page", broken)
    result = _auditor().audit_text("page.md", CLEAN, "markdown")
    assert [(f.rule, f.line) for f in result.findings] == [("IO006", 1)]
    assert "markdown parser failed: RecursionError" in result.findings[0].message


def test_a_parser_out_of_time_is_an_internal_error_finding() -> None:
    """markdown-it-py is quadratic on unclosed link destinations; the parser gets check-timeout too."""
    registry = default_registry()
    auditor = Auditor(registry, Config(selected=frozenset(registry.rules), limits=Limits(check_timeout=0.5)))
    result = auditor.audit_text("page.md", "[x](" * 100_000, "markdown")
    assert [(f.rule, f.line) for f in result.findings] == [("IO006", 1)]
    assert "markdown parser ran past check-timeout (0.5 s)" in result.findings[0].message
