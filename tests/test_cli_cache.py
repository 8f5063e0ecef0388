"""The cache and the workers through the command line: --jobs, --no-cache, --cache-dir, AUDITOR_CACHE_DIR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES

SPAM = (FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8")
CLEAN = "# Release notes\n\nThis release fixes {n} bugs in the config loader.\n"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "AUDITOR_CACHE_DIR"}
    environment.update({"NO_COLOR": "1", **(env or {})})
    argv = [sys.executable, "-m", "auditor", *args]
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=environment)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "auditor.toml").write_text('ignore = ["PL405"]\n', encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "spam.md").write_text(SPAM, encoding="utf-8")
    for n in range(20):
        (docs / f"notes{n:02d}.md").write_text(CLEAN.format(n=n), encoding="utf-8")
    return tmp_path


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("v*/*/*/*/*.json"))


def test_the_cache_sits_at_the_project_root_and_a_warm_run_says_the_same(project: Path) -> None:
    cold = run("check", "docs", "--format", "json", cwd=project)
    assert cold.returncode == 1, cold.stderr
    assert len(_entries(project / ".auditor_cache")) == 21
    assert run("check", "docs", "--format", "json", cwd=project).stdout == cold.stdout
    assert len(_entries(project / ".auditor_cache")) == 21
    # From another folder the project root is still the config file's folder; the pages are
    # reported under other names there, so they are audited again, with the same findings.
    other = run("check", ".", "--format", "json", cwd=project / "docs")
    assert [f["findings"] for f in json.loads(other.stdout)["files"]] == [
        f["findings"] for f in json.loads(cold.stdout)["files"]
    ]
    assert len(_entries(project / ".auditor_cache")) == 42


def test_no_cache_writes_nothing(project: Path) -> None:
    result = run("check", "docs", "--no-cache", cwd=project)
    assert result.returncode == 1
    assert not (project / ".auditor_cache").exists()


def test_cache_dir_and_the_environment_choose_the_folder(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    given = tmp_path_factory.mktemp("given")
    run("check", "docs", "--cache-dir", str(given), cwd=project)
    assert len(_entries(given)) == 21
    from_env = tmp_path_factory.mktemp("env")
    run("check", "docs", cwd=project, env={"AUDITOR_CACHE_DIR": str(from_env)})
    assert len(_entries(from_env)) == 21
    assert not (project / ".auditor_cache").exists()


def test_without_a_config_the_cache_sits_in_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(SPAM, encoding="utf-8")
    run("check", "page.md", cwd=tmp_path)
    assert len(_entries(tmp_path / ".auditor_cache")) == 1


@pytest.mark.parametrize("jobs", ["1", "2", "3"])
def test_any_number_of_jobs_gives_the_same_report(project: Path, jobs: str) -> None:
    one = run("check", "docs", "--format", "json", "--no-cache", "--jobs", "1", cwd=project)
    many = run("check", "docs", "--format", "json", "--no-cache", "-j", jobs, cwd=project)
    assert many.returncode == one.returncode == 1
    assert many.stdout == one.stdout


def test_jobs_must_be_positive(project: Path) -> None:
    assert run("check", "docs", "--jobs", "0", cwd=project).returncode == 2
