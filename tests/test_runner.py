"""The runner: the page phase in this process or a pool, the cache, and what workers exchange."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from auditor.config import Config
from auditor.engine import cache as cache_module
from auditor.engine import runner
from auditor.engine.auditor import Auditor
from auditor.engine.cache import ResultCache
from auditor.engine.phases import Settings
from auditor.engine.results import FileResult
from auditor.input.sources import PageSource
from auditor.models import Severity
from auditor.registry import default_registry

from .conftest import FIXTURES

# A small site: one template farm (skeleton cluster, shared promo link, near-copies),
# honest pages, a page with a disable comment, one in Chinese, an HTML page.
FARM = """# {name}加速器官网地址

## {name}介绍

{name}是一款加速器，深受用户喜爱，是出国旅行的首选。

## {name}优惠码

注册时填写优惠码：{code}，联系客服QQ：12345678。

## {name}价格

{name}每月只需十元，性价比最高。[立即购买](https://bit.ly/farm-{code})
"""
HONEST = """# Notes on {topic}

We moved the {topic} service to a new host last week. The migration took two hours
and the only problem was a stale DNS record, fixed by lowering its TTL beforehand.

## What changed

The config now lives in one file per environment, and the deploy script checks it first.
"""


def _site(folder: Path, pages: int = 20) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    names = ["星桥", "零零七", "华夏联盟", "极光", "青云", "飞鸟", "白鲸", "红杉"]
    for i in range(pages):
        if i % 2:
            text = FARM.format(name=names[i % len(names)] + str(i), code=f"AB{i:03d}")
        else:
            text = HONEST.format(topic=f"service {i}")
        if i == 4:
            text = "<!-- auditor-disable-next-line PL403 -->\n" + text
        (folder / f"page{i:02d}.md").write_text(text, encoding="utf-8")
    for twin in ("promo.md", "promo.html"):
        (folder / twin).write_bytes((FIXTURES / "twins" / twin).read_bytes())
    return folder


def _config() -> Config:
    registry = default_registry()
    return Config(selected=frozenset(registry.rules))


def _sources(folder: Path) -> list[PageSource]:
    return [PageSource(str(p)) for p in sorted(folder.iterdir()) if p.suffix in (".md", ".html")]


def _findings(results: list[FileResult]) -> list[tuple]:
    return [
        (r.path, r.format, r.language, [(f.rule, f.severity.value, f.line, f.column, f.message) for f in r.findings])
        for r in results
    ]


def _audit(sources: list[PageSource], config: Config, jobs: int = 1, folder: Path | None = None) -> list[FileResult]:
    """The page phase through the runner, then the site phase, as `auditor check` does it."""
    registry = default_registry()
    site = len(sources) > 1
    cache = ResultCache.open(folder, registry, config, site) if folder else None
    results = list(runner.run(sources, Settings(config, site), jobs, cache, registry))
    Auditor(registry, config, site=site).audit_site(results)
    return results


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple]]:
    """A site and its findings from the plain engine, one page after another."""
    folder = _site(tmp_path_factory.mktemp("site") / "site")
    config = _config()
    auditor = Auditor(default_registry(), config, site=True)
    results = [auditor.audit_source(source) for source in _sources(folder)]
    auditor.audit_site(results)
    return folder, _findings(results)


def test_the_reference_site_has_page_and_site_findings(reference: tuple[Path, list[tuple]]) -> None:
    _, expected = reference
    rules = {finding[0] for _path, _fmt, _lang, findings in expected for finding in findings}
    assert {"TS201", "PL408", "PL403", "UC302"} <= rules


@pytest.mark.parametrize("jobs", [1, 2])
def test_runner_gives_the_engines_findings_in_path_order(reference: tuple[Path, list[tuple]], jobs: int) -> None:
    folder, expected = reference
    results = _audit(_sources(folder), _config(), jobs=jobs)
    assert _findings(results) == expected
    assert [r.path for r in results] == sorted(r.path for r in results)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_warm_run_reads_every_page_from_the_cache(
    reference: tuple[Path, list[tuple]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    folder, expected = reference
    cold = _audit(_sources(folder), _config(), jobs=jobs, folder=tmp_path / "cache")
    assert _findings(cold) == expected
    assert len(cache_module.entries(tmp_path / "cache")) == len(expected)

    def no_auditing(*args: object, **kwargs: object) -> FileResult:
        raise AssertionError("a page was audited on a warm run")

    monkeypatch.setattr(Auditor, "audit_bytes", no_auditing)
    monkeypatch.setattr(Auditor, "audit_source", no_auditing)
    warm = _audit(_sources(folder), _config(), jobs=jobs, folder=tmp_path / "cache")
    # The site phase still looks across every page: its findings come back whole.
    assert _findings(warm) == expected


def _damage(entry: Path, how: str) -> None:
    if how == "truncated":
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    elif how == "garbage":
        entry.write_bytes(bytes(range(256)) * 4)
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "pickle":
        entry.write_bytes(pickle.dumps({"findings": [], "signatures": {}, "format": "markdown"}))
    elif how == "other-key":
        document = json.loads(entry.read_text(encoding="utf-8"))
        document["key"] = "0" * 40
        entry.write_text(json.dumps(document), encoding="utf-8")
    elif how == "wrong-types":
        document = json.loads(entry.read_text(encoding="utf-8"))
        document["findings"] = [["KS101", "error", "one", 1, 1, 1, "m", "e"]]
        entry.write_text(json.dumps(document), encoding="utf-8")
    elif how == "foreign-class":
        document = json.loads(entry.read_text(encoding="utf-8"))
        document["signatures"] = [["TS201", {"C": ["os", "system", ["echo pwned"]]}]]
        entry.write_text(json.dumps(document), encoding="utf-8")
    elif how == "no-findings":  # well-formed, of another page: silently wrong only if trusted blindly
        document = json.loads(entry.read_text(encoding="utf-8"))
        document["format"] = 7
        entry.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize(
    "how", ["truncated", "garbage", "empty", "pickle", "other-key", "wrong-types", "foreign-class", "no-findings"]
)
def test_a_damaged_or_foreign_entry_is_a_miss(reference: tuple[Path, list[tuple]], tmp_path: Path, how: str) -> None:
    folder, expected = reference
    sources = _sources(folder)
    _audit(sources, _config(), folder=tmp_path / "cache")
    for entry in cache_module.entries(tmp_path / "cache"):
        _damage(entry, how)
    assert _findings(_audit(sources, _config(), folder=tmp_path / "cache")) == expected
    # …and the entries were written anew, whole.
    for entry in cache_module.entries(tmp_path / "cache"):
        assert json.loads(entry.read_text(encoding="utf-8"))["auditor-cache"] == cache_module.FORMAT


def test_the_cache_misses_when_the_page_or_the_config_changes(tmp_path: Path) -> None:
    folder = _site(tmp_path / "site", pages=4)
    sources = _sources(folder)
    first = _audit(sources, _config(), folder=tmp_path / "cache")
    page = folder / "page01.md"
    page.write_text(page.read_text(encoding="utf-8").replace("QQ：12345678", "QQ：87654321"), encoding="utf-8")
    changed = {r.path: r for r in _audit(sources, _config(), folder=tmp_path / "cache")}
    evidence = [f.evidence for f in changed[str(page)].findings if f.rule == "PL401"]
    assert any("87654321" in e for e in evidence)

    regraded = Config(selected=frozenset(default_registry().rules), severities={"PL401": Severity.INFO})
    graded = {r.path: r for r in _audit(sources, regraded, folder=tmp_path / "cache")}
    plain = {r.path: r for r in first}
    page3 = str(folder / "page03.md")
    assert [f.severity.value for f in plain[page3].findings if f.rule == "PL401"] == ["error"]
    assert [f.severity.value for f in graded[page3].findings if f.rule == "PL401"] == ["info"]

    fewer = Config(selected=frozenset({"PL401"}))
    assert {f.rule for r in _audit(sources, fewer, folder=tmp_path / "cache") for f in r.findings} == {"PL401"}


def test_writes_are_whole_files_and_leave_nothing_behind(tmp_path: Path) -> None:
    folder = _site(tmp_path / "site", pages=17)
    _audit(_sources(folder), _config(), jobs=2, folder=tmp_path / "cache")
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.suffix == ".tmp"]
    assert leftovers == []
    assert (tmp_path / "cache" / "CACHEDIR.TAG").is_file()
    assert (tmp_path / "cache" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_an_unwritable_cache_is_skipped(tmp_path: Path, reference: tuple[Path, list[tuple]]) -> None:
    folder, expected = reference
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    assert _findings(_audit(_sources(folder), _config(), folder=blocked)) == expected


def test_results_are_small_and_picklable(reference: tuple[Path, list[tuple]]) -> None:
    folder, _ = reference
    config = _config()
    auditor = Auditor(default_registry(), config, site=True)
    results = [auditor.audit_source(source) for source in _sources(folder)]
    for result in results:
        blob = pickle.dumps(result)
        again = pickle.loads(blob)
        assert again.findings == result.findings
        assert again.signatures.keys() == result.signatures.keys()
        assert len(blob) < 16_000, (result.path, len(blob))


def test_pages_given_as_bytes_are_cached_like_files(tmp_path: Path) -> None:
    text = (FIXTURES / "twins" / "promo.md").read_bytes()
    sources = [PageSource("crawl/a.md", data=text), PageSource("crawl/b.md", data=text.replace(b"bit.ly", b"t.cn"))]
    cold = _audit(sources, _config(), folder=tmp_path / "cache")
    warm = _audit(sources, _config(), folder=tmp_path / "cache")
    assert _findings(cold) == _findings(warm)
    assert len(cache_module.entries(tmp_path / "cache")) == 2


def test_a_missing_file_is_reported_not_cached(tmp_path: Path) -> None:
    results = _audit([PageSource(str(tmp_path / "gone.md"))], _config(), folder=tmp_path / "cache")
    assert [f.rule for f in results[0].findings] == ["IO001"]
    assert cache_module.entries(tmp_path / "cache") == []


def test_chunks_stay_small_and_keep_both_workers_busy() -> None:
    assert runner._chunk_size(6000, 2) == 8
    assert runner._chunk_size(127, 2) == 1


def test_pages_of_single_words_do_not_stop_the_run(tmp_path: Path) -> None:
    """Enough words for a near-duplicate signature, but no two in a row: no signature, no crash."""
    page = "# Words\n\n" + "\n\n".join(f"word{i}" for i in range(100)) + "\n"
    sources = []
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(page, encoding="utf-8")
        sources.append(PageSource(str(tmp_path / name)))
    results = _audit(sources, _config())
    assert [r.path for r in results] == [s.path for s in sources]
