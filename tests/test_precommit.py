"""The pre-commit hook, run by pre-commit itself on a scratch content repo (it builds the hook's
environment from this repository, so it takes a while)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .test_cli import CLEAN, SPAM

ROOT = Path(__file__).parents[1]


def test_hook_definition() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "auditor" and hook["language"] == "python"
    assert hook["entry"] == "auditor check"
    assert hook["types_or"] == ["markdown", "html"]


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and a checkout")
def test_pre_commit_try_repo_fails_on_the_spam_page(tmp_path: Path) -> None:
    content = tmp_path / "site"
    content.mkdir()
    (content / "spam.md").write_text(SPAM, encoding="utf-8")
    (content / "clean.md").write_text(CLEAN, encoding="utf-8")
    (content / "notes.txt").write_text("not a page", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env |= {
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_COLOR": "1",
    }
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "pages"]):
        subprocess.run(command, cwd=content, env=env, check=True)

    # try-repo uses the repository's working tree as it is (uncommitted changes included).
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "auditor", "--all-files", "--color", "never"],
        cwd=content,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "auditor" in output and "Failed" in output
    assert "spam.md:2:27: PL402 [error]" in output
    assert "clean.md:" not in output and "notes.txt" not in output
    assert "in 1 of 2 files" in output
