"""The segmenter: jieba's dictionary kept in a file of our own, and jieba_fast giving jieba's findings."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from auditor.text import segmenter

ROOT = Path(__file__).parents[1]
RULES = Path(__file__).parent / "rules"


def test_the_dictionary_file_reads_back_what_was_written(tmp_path: Path) -> None:
    frequencies = {"极光": 12, "极光卡": 3, "极": 0, "card": 7}
    segmenter.write(tmp_path / "d.dict", frequencies, 22)
    assert segmenter.read(tmp_path / "d.dict") == (frequencies, 22)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "marshal"])
def test_a_damaged_dictionary_file_is_ignored(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "d.dict"
    segmenter.write(path, {"极光": 12, "卡": 3}, 15)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[:-5])
    elif damage == "flip":
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "garbage":
        path.write_bytes(os.urandom(200))
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        import marshal

        path.write_bytes(marshal.dumps(({"极光": 12}, 12)))
    assert segmenter.read(path) is None


def _segment(env: dict[str, str], text: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, sys; from auditor.text import segmenter; m = segmenter.load(); "
        "print(json.dumps([m.__name__, m.lcut(sys.argv[1])]))"
    )
    return subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, env=env)


def test_the_dictionary_is_kept_once_per_machine(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "AUDITOR_SEGMENTER": "jieba"}
    text = "极光卡是一款覆盖全球的电话卡，深受用户喜爱。"
    first = _segment(env, text)
    kept = list((tmp_path / "auditor").glob("jieba-*.dict"))
    assert len(kept) == 1, first.stderr
    second = _segment(env, text)
    assert second.stdout == first.stdout
    kept[0].write_bytes(b"not a dictionary")  # a damaged file is rebuilt, never trusted
    assert _segment(env, text).stdout == first.stdout
    assert segmenter.read(kept[0]) is not None


def _pages(folder: Path) -> Path:
    """The Chinese example pages, and every Chinese page of the rule fixtures, as files."""
    folder.mkdir()
    for page in sorted((ROOT / "examples").rglob("*.*")):
        if page.suffix in (".md", ".html"):
            (folder / f"example-{page.parent.name}-{page.name}").write_bytes(page.read_bytes())
    for spec_path in sorted(RULES.glob("*.yml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        for index, case in enumerate(spec["cases"]):
            pages = case.get("pages") or {f"page.{'html' if case.get('format') == 'html' else 'md'}": case["page"]}
            for name, text in pages.items():
                if any("\u4e00" <= ch <= "\u9fff" for ch in text):
                    flat = name.replace("/", "-")
                    (folder / f"{spec['rule']}-{index}-{flat}").write_text(text, encoding="utf-8")
    return folder


def _report(folder: Path, segmenter_name: str) -> dict:
    env = {**os.environ, "AUDITOR_SEGMENTER": segmenter_name, "NO_COLOR": "1"}
    argv = [sys.executable, "-m", "auditor", "check", ".", "--format", "json", "--no-cache", "--jobs", "1"]
    result = subprocess.run(argv, capture_output=True, text=True, cwd=folder, env=env)
    return json.loads(result.stdout)


NO_FAST = importlib.util.find_spec("jieba_fast") is None


@pytest.mark.skipif(NO_FAST, reason="jieba_fast is not installed (pip install 'auditor[fast]')")
def test_jieba_fast_gives_the_findings_of_jieba(tmp_path: Path) -> None:
    folder = _pages(tmp_path / "pages")
    assert len(list(folder.iterdir())) > 20
    plain, fast = _report(folder, "jieba"), _report(folder, "jieba_fast")
    assert plain["summary"]["errors"] > 0
    assert fast == plain


def test_dictionaries_unused_for_a_month_are_removed(tmp_path: Path) -> None:
    kept = tmp_path / "jieba-little-new.dict"
    stale, fresh = tmp_path / "jieba-little-old.dict", tmp_path / "jieba-little-recent.dict"
    for path in (kept, stale, fresh):
        segmenter.write(path, {"卡": 1}, 1)
    month_ago = os.stat(stale).st_mtime - 31 * 86400
    os.utime(stale, (month_ago, month_ago))
    segmenter._prune(kept, "jieba-")
    assert kept.exists() and fresh.exists() and not stale.exists()
