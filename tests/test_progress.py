"""The progress bar: on a terminal's standard error for many files, never when piped or in CI."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli.progress import MIN_FILES

PAGE = "# Note {index}\n\nA short note about the build, number {index}, with nothing to sell.\n"


@pytest.fixture
def many(tmp_path: Path) -> Path:
    for index in range(MIN_FILES + 5):
        (tmp_path / f"note{index:02}.md").write_text(PAGE.format(index=index), encoding="utf-8")
    return tmp_path


def run_on_a_terminal(cwd: Path, *args: str, **env: str) -> tuple[str, bytes, int]:
    """Run `auditor check` with standard error on a pseudo-terminal: (stdout, what the terminal got, status)."""
    environment = {k: v for k, v in os.environ.items() if k != "CI"} | {"NO_COLOR": "1"} | env
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", "check", *args],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    os.close(follower)
    terminal = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        terminal += chunk
    os.close(leader)
    stdout = process.stdout.read().decode("utf-8") if process.stdout else ""
    return stdout, terminal, process.wait()


def test_bar_on_a_terminal_then_erased(many: Path) -> None:
    stdout, terminal, status = run_on_a_terminal(many, ".")
    assert status == 0
    total = MIN_FILES + 5
    assert f"{total}/{total} files".encode() in terminal
    assert terminal.endswith(b"\r\x1b[K")  # erased, so the report starts on a clean line
    assert stdout == f"All clear: no findings in {total} files.\n"


@pytest.mark.parametrize(("args", "env"), [((".",), {"CI": "true"}), ((".", "--quiet"), {}), (("note01.md",), {})])
def test_no_bar_in_ci_quiet_or_for_few_files(many: Path, args: tuple[str, ...], env: dict[str, str]) -> None:
    _, terminal, _ = run_on_a_terminal(many, *args, **env)
    assert terminal == b""


def test_no_bar_when_standard_error_is_piped(many: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "check", "."], cwd=many, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == ""
