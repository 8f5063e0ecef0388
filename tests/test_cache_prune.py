"""Cache pruning at the end of a run, and `auditor cache clean`, mostly through the real command line."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from auditor.config import Config
from auditor.engine import cache as cache_module
from auditor.engine.cache import FORMAT, KEEP_SETTINGS, STALE_DAYS, ResultCache
from auditor.engine.results import FileResult
from auditor.input.sources import PageSource
from auditor.registry import default_registry

from .test_cli_cache import CLEAN, SPAM, run

PAGES = 12
DAY = 86_400


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "spam.md").write_text(SPAM, encoding="utf-8")
    for n in range(PAGES - 1):
        (docs / f"notes{n:02d}.md").write_text(CLEAN.format(n=n), encoding="utf-8")
    return tmp_path


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_the_cache_stays_bounded_over_ten_runs_with_changing_config(project: Path) -> None:
    cache = project / ".auditor_cache"
    sizes = []
    for n in range(10):
        # Each run another config (terms and a rule ignored): every page's key changes.
        config = f'watch-terms = ["term{n}"]\nignore = ["{"PL405" if n % 2 else "KS102"}"]\n'
        (project / "auditor.toml").write_text(config, encoding="utf-8")
        result = run("check", "docs", cwd=project)
        assert result.returncode == 1, result.stderr
        sizes.append(_size(cache))
        assert len(cache_module.entries(cache)) <= KEEP_SETTINGS * PAGES
    # Without pruning it would hold ten configs' entries; it holds KEEP_SETTINGS'.
    assert len(cache_module.entries(cache)) == KEEP_SETTINGS * PAGES
    assert max(sizes) <= sizes[0] * KEEP_SETTINGS * 1.2


def _open(folder: Path) -> ResultCache:
    settings = Config(selected=frozenset(default_registry().rules))
    return ResultCache.open(folder, default_registry(), settings, site=True)


def _put(cache: ResultCache, name: str) -> Path:
    key = cache.key(PageSource(name), name.encode())
    cache.put(key, FileResult(name, "markdown", "en"))
    return cache.entries / key[:2] / f"{key}.json"


def _age(path: Path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


def test_an_entry_unread_for_31_days_is_pruned_and_a_fresh_one_kept(tmp_path: Path) -> None:
    cache = _open(tmp_path)
    old, fresh = _put(cache, "old.md"), _put(cache, "fresh.md")
    _age(old, STALE_DAYS + 1)
    cache.prune()
    # The first prune scans (no scan yet today): the old entry goes, the fresh one stays.
    assert not old.exists() and fresh.exists()
    # A scan runs at most once a day: an entry aged after it waits for the next day's scan.
    _age(fresh, STALE_DAYS + 1)
    cache.prune()
    assert fresh.exists()
    _age(tmp_path / f"v{FORMAT}" / cache.stamp / ".scanned", 2)
    cache.prune()
    assert not fresh.exists()


def test_reading_an_entry_keeps_it(tmp_path: Path) -> None:
    cache = _open(tmp_path)
    entry = _put(cache, "read.md")
    _age(entry, STALE_DAYS + 1)
    key = entry.stem
    reader = _open(tmp_path)  # a later run
    assert reader.get(key, "read.md", default_registry()) is not None
    reader.prune()
    assert entry.exists()


def test_other_versions_and_layouts_are_removed_and_a_foreign_folder_is_left(project: Path) -> None:
    cache = project / ".auditor_cache"
    run("check", "docs", cwd=project)
    stale = [cache / "v3" / "ab" / "x.json", cache / f"v{FORMAT}" / "0123456789abcdef" / "s" / "ab" / "y.json"]
    for path in stale:
        path.parent.mkdir(parents=True)
        path.write_text("{}", encoding="utf-8")
    run("check", "docs", cwd=project)
    assert not any(path.exists() for path in stale)
    assert not (cache / "v3").exists()
    assert len(cache_module.entries(cache)) == PAGES
    # A --cache-dir without auditor's CACHEDIR.TAG is never pruned.
    foreign = project / "mine"
    (foreign / "v3").mkdir(parents=True)
    ResultCache(foreign, "f" * 40, Config()).prune()
    assert (foreign / "v3").exists()


def test_cache_clean_removes_the_folder_check_uses(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    run("check", "docs", cwd=project)
    assert (project / ".auditor_cache").is_dir()
    cleaned = run("cache", "clean", cwd=project)
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout.startswith(f"Removed the cache {project / '.auditor_cache'}: ")
    # The entries, CACHEDIR.TAG and .gitignore, the settings folder's .used and the stamp's .scanned.
    assert f" {PAGES + 4} files, " in cleaned.stdout
    assert not (project / ".auditor_cache").exists()
    again = run("cache", "clean", cwd=project)
    assert again.returncode == 0 and again.stdout.startswith("No cache at ")
    elsewhere = tmp_path_factory.mktemp("env") / "c"
    run("check", "docs", cwd=project, env={"AUDITOR_CACHE_DIR": str(elsewhere)})
    assert elsewhere.is_dir()
    assert run("cache", "clean", cwd=project, env={"AUDITOR_CACHE_DIR": str(elsewhere)}).returncode == 0
    assert not elsewhere.exists()
    given = tmp_path_factory.mktemp("given")
    run("check", "docs", "--cache-dir", str(given), cwd=project)
    assert run("cache", "clean", "--cache-dir", str(given), cwd=project).returncode == 0
    assert not given.exists()


def test_cache_clean_refuses_a_folder_auditor_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    refused = run("cache", "clean", "--cache-dir", str(tmp_path), cwd=tmp_path)
    assert refused.returncode == 2
    assert "CACHEDIR.TAG" in refused.stderr
    assert (tmp_path / "keep.txt").exists()
