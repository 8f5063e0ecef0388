"""jieba's dictionary, kept in a cache of our own: built on the first load, read on the next, rebuilt when spoilt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SEGMENT = (
    "from auditor import text; "
    "print([w.text for w in text.tokenize('极光卡是一款覆盖全球的电话卡，深受用户喜爱', 'zh')])"
)


def segment(cache_home: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    result = subprocess.run([sys.executable, "-c", SEGMENT], env=env, capture_output=True, text=True, check=True)
    return result.stdout


def test_the_cache_is_built_once_then_read_and_segments_alike(tmp_path: Path) -> None:
    first = segment(tmp_path)
    [cache] = (tmp_path / "auditor").glob("jieba-*.marshal")
    built = cache.stat().st_mtime_ns

    assert segment(tmp_path) == first
    assert cache.stat().st_mtime_ns == built  # read, not rebuilt
    assert "极光" in first and "喜爱" in first

    cache.write_bytes(b"not marshal data")
    assert segment(tmp_path) == first  # a spoilt cache falls back to jieba's own load
    assert cache.stat().st_size > 1_000_000  # and is written anew
