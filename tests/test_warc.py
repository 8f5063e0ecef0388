"""WARC input: every HTML response of a crawl is a page named by its URI, decoded by its HTTP charset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("warcio", reason="WARC input needs the warc or dask extra: pip install -e '.[test,dask]'")

from auditor.input import warc

from .conftest import FIXTURES
from .crawls import as_html, write_warc

SPAM = (FIXTURES / "twins" / "promo.html").read_bytes()
# A Chinese page in GBK whose only charset declaration is the HTTP header.
GBK_PAGE = (
    "<html><head><title>星桥机场</title></head><body><p>星桥机场深受用户喜爱，是出国旅行的首选。</p></body></html>"
)


@pytest.fixture(params=["crawl.warc.gz", "crawl.warc"])
def crawl(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    return write_warc(
        tmp_path / request.param,
        [
            ("https://shop.example.test/promo", SPAM, "text/html; charset=UTF-8"),
            ("https://example.test/logo.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
            ("https://example.test/zh", GBK_PAGE.encode("gbk"), 'text/html; charset="gbk"'),
            ("https://example.test/notes", as_html("# Notes\n\nPlain notes.\n").encode(), "text/html"),
        ],
    )


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "auditor", "check", *args], capture_output=True, text=True, env=env)


def test_each_html_response_is_a_page_named_by_its_uri(crawl: Path) -> None:
    result = run(str(crawl), "--format", "json")
    assert result.returncode == 1, result.stderr
    files = {entry["path"]: entry for entry in json.loads(result.stdout)["files"]}
    assert list(files) == ["https://shop.example.test/promo", "https://example.test/zh", "https://example.test/notes"]
    assert files["https://shop.example.test/promo"]["format"] == "html"
    assert any(f["severity"] == "error" for f in files["https://shop.example.test/promo"]["findings"])
    assert files["https://example.test/notes"]["findings"] == []


def test_the_http_charset_decodes_the_page(crawl: Path) -> None:
    (page,) = [p for p in warc.pages(str(crawl)) if p.path.endswith("/zh")]
    assert page.charset == "gbk"
    result = run(str(crawl), "--format", "json", "--select", "UC302")
    zh = next(e for e in json.loads(result.stdout)["files"] if e["path"].endswith("/zh"))
    assert zh["language"] == "zh"
    assert [(f["rule"], f["line"]) for f in zh["findings"]] == [("UC302", 1)]
    assert "深受用户喜爱" in zh["findings"][0]["message"]


def test_slices_cut_the_crawl_into_runs_of_pages_in_order(crawl: Path) -> None:
    whole = [p.path for p in warc.pages(str(crawl))]
    pieces = list(warc.slices(str(crawl), 2))
    assert [s.count for s in pieces] == [2, 1]
    assert [p.path for s in pieces for p in warc.pages(s.path, s.offset, s.count)] == whole


def test_a_file_that_is_no_warc_is_a_usage_error(tmp_path: Path) -> None:
    bogus = tmp_path / "crawl.warc.gz"
    bogus.write_bytes(b"this is not a crawl\n" * 10)
    result = run(str(bogus))
    assert result.returncode == 2
    assert "crawl.warc.gz" in result.stderr and "WARC" in result.stderr
    assert "Traceback" not in result.stderr
