"""The auditor never opens a socket, never writes in the tree it audits, and repeats itself byte for byte."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli.app import app
from auditor.engine.runner import POOL_MIN_PAGES_PER_JOB

from .conftest import FIXTURES

# The cache folder the auditor owns in the audited tree, the one place it may write.
OWN_FOLDERS = {".auditor_cache"}


def _link_pages(folder: Path) -> Path:
    """Pages full of links of every kind: shorteners, messaging, affiliate, images, bare URLs."""
    folder.mkdir(parents=True, exist_ok=True)
    links = "\n".join(
        f"- [offer {i}](https://bit.ly/x{i}) [chat](https://t.me/shop{i}) ![img](https://cdn{i}.example/a.png) "
        f"https://www.shop{i}.example/item?ref=aff{i}&utm_source=x"
        for i in range(300)
    )
    (folder / "links.md").write_text(f"# Deals\n\n{links}\n", encoding="utf-8")
    anchors = "".join(f'<a href="https://wa.me/1555000{i:04d}">buy {i}</a> ' for i in range(300))
    (folder / "links.html").write_text(f"<html><body><p>{anchors}</p></body></html>", encoding="utf-8")
    shutil.copy(FIXTURES / "twins" / "promo.md", folder / "promo.md")
    return folder


def _cli(*args: str, cwd: Path, prefix: tuple[str, ...] = (), seed: str = "0") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONHASHSEED": seed}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "auditor", "check", *args], capture_output=True, cwd=cwd, env=env
    )


def _network_namespace() -> tuple[str, ...] | None:
    """`unshare -rn`: a new user and network namespace with no route out, when this system allows one."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run([unshare, "-rn", "true"], capture_output=True)
    return (unshare, "-rn") if probe.returncode == 0 else None


def test_check_runs_with_the_network_cut_off(tmp_path: Path) -> None:
    prefix = _network_namespace()
    if prefix is None:
        pytest.skip("unshare -rn is not available here (no unshare, or user namespaces are disabled)")
    site = _link_pages(tmp_path / "site")
    offline = _cli(".", "--format", "json", cwd=site, prefix=prefix)
    online = _cli(".", "--format", "json", cwd=site)
    assert offline.returncode == 1, offline.stderr.decode()
    assert offline.stderr == b""
    assert offline.stdout == online.stdout  # nothing it does depends on reaching the network


def test_check_opens_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In process, for systems without namespaces: any socket, or name lookup, fails the test."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("the auditor must not use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    site = _link_pages(tmp_path / "site")
    monkeypatch.chdir(site)
    result = CliRunner().invoke(app, ["check", ".", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert attempts == []


def _tree_digest(root: Path) -> dict[str, str]:
    """Every file, folder and symlink under `root` with its content hash and mode, outside the auditor's own folders."""
    digest: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in OWN_FOLDERS)
        for name in sorted(dirs + files):
            path = Path(folder) / name
            info = path.lstat()
            if path.is_symlink():
                value = "link:" + os.readlink(path)
            elif path.is_file():
                value = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                value = "dir"
            digest[str(path.relative_to(root))] = f"{value} {info.st_mode:o} {info.st_mtime_ns}"
    return digest


def test_check_writes_nothing_in_the_audited_tree(tmp_path: Path) -> None:
    site = _link_pages(tmp_path / "site")
    (site / "auditor.toml").write_text('ignore = ["PL405"]\n', encoding="utf-8")
    (site / "nested" / "deeper").mkdir(parents=True)
    shutil.copy(FIXTURES / "twins" / "promo.html", site / "nested" / "deeper" / "promo.html")
    (site / "link.md").symlink_to("promo.md")
    before = _tree_digest(site)
    for args in ((".",), (".", "--format", "json"), ("promo.md", "nested")):
        assert _cli(*args, cwd=site).returncode == 1
    assert _tree_digest(site) == before


def test_repeated_runs_give_byte_identical_reports(tmp_path: Path) -> None:
    """Same input, same config: the same bytes, whatever the hash seed (set and dict order) of the process."""
    site = _link_pages(tmp_path / "site")
    shutil.copy(FIXTURES / "twins" / "promo.html", site / "promo.html")
    (site / "empty.md").write_bytes(b"")
    (site / "mixed.md").write_bytes("# 标题\n\n正文。\n".encode() + "乱码段落。\n".encode("gbk"))
    for output in ("json", "text"):
        runs = [_cli(".", "--format", output, cwd=site, seed=seed) for seed in ("0", "1", "12345")]
        assert {r.returncode for r in runs} == {1}
        assert runs[0].stdout == runs[1].stdout == runs[2].stdout, output


def test_reports_are_byte_identical_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    """One process, a pool of two workers, and a warm cache give the same bytes (with enough pages that the
    pool is really used: the runner keeps a handful of pages in one process)."""
    site = _link_pages(tmp_path / "site")
    examples = Path(__file__).parents[1] / "examples"
    for copy in range(4):
        shutil.copytree(examples, site / f"copy{copy}", ignore=shutil.ignore_patterns("*.toml"))
    assert len(list(site.rglob("*.md"))) + len(list(site.rglob("*.html"))) > 2 * POOL_MIN_PAGES_PER_JOB
    for output in ("json", "text"):
        one = _cli(".", "--format", output, "--jobs", "1", "--no-cache", cwd=site)
        two = _cli(".", "--format", output, "--jobs", "2", "--no-cache", cwd=site)
        cold = _cli(".", "--format", output, "--jobs", "2", cwd=site)
        warm = _cli(".", "--format", output, "--jobs", "2", cwd=site)
        assert {r.returncode for r in (one, two, cold, warm)} == {1}
        assert one.stdout == two.stdout == cold.stdout == warm.stdout, output
