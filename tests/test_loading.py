"""From bytes to a Page: encodings, front matter, Markdown and HTML parsing."""

from __future__ import annotations

import re
from pathlib import Path

from auditor.config import Config
from auditor.engine.auditor import Auditor
from auditor.input.loading import decode
from auditor.parsing import parse_page
from auditor.registry import default_registry

from .conftest import FIXTURES, audit

PAGES = {
    "gbk": "## 充值教程\n\n星河卡充值步骤很简单，打开官网即可。\n",
    "big5": "## 儲值教學\n\n星河卡儲值步驟很簡單，打開官網即可。臺灣用戶也可以使用。\n",
}


def _auditor() -> Auditor:
    registry = default_registry()
    return Auditor(registry, Config(selected=frozenset(registry.rules)))


def test_gbk_and_big5_files_are_decoded(tmp_path: Path) -> None:
    for encoding, source in PAGES.items():
        path = tmp_path / f"{encoding}.md"
        path.write_bytes(source.encode(encoding))
        result = _auditor().audit_path(str(path))
        assert result.findings == [], encoding
        assert result.language == "zh"


def test_meta_charset_wins_for_html() -> None:
    html = '<html><head><meta charset="big5"><title>教程</title></head><body><p>臺灣用戶</p></body></html>'
    text, encoding = decode(html.encode("big5"), "html")
    assert encoding == "big5"
    assert "臺灣用戶" in text


def test_utf8_bom_and_utf16_bom() -> None:
    assert decode(b"\xef\xbb\xbf# Title\n", "markdown") == ("# Title\n", "utf-8-sig")
    text, _ = decode("# 标题\n".encode("utf-16"), "markdown")
    assert text == "# 标题\n"


def test_binary_file_is_a_finding_and_the_run_goes_on(tmp_path: Path) -> None:
    binary = tmp_path / "logo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = _auditor().audit_path(str(binary))
    assert [(f.rule, f.line) for f in result.findings] == [("IO001", 1)]
    assert "binary" in result.findings[0].message


def test_missing_file_is_a_finding() -> None:
    result = _auditor().audit_path("no/such/page.md")
    assert [f.rule for f in result.findings] == ["IO001"]


def test_invalid_yaml_front_matter_is_reported_and_its_title_still_read() -> None:
    source = "---\ntitle: \tBroken tab title\nlayout: post\n---\n\nBody text.\n"
    findings = audit(source)
    assert [(f.rule, f.line) for f in findings] == [("IO002", 1)]
    page, _ = parse_page("p.md", source, "markdown")
    assert page.title == "Broken tab title"


def test_front_matter_errors_are_worded_alike_whichever_yaml_parser_is_installed() -> None:
    # libyaml parses when PyYAML has it; a document it rejects is parsed again by PyYAML for its message.
    findings = audit("---\ntitle: a: b\n---\n\nBody text.\n")
    assert [(f.rule, f.message) for f in findings] == [
        ("IO002", "front matter is not valid YAML: mapping values are not allowed here")
    ]


def test_toml_front_matter_title_counts_as_the_page_title() -> None:
    page, _ = parse_page("p.md", '+++\ntitle = "TOML title"\n+++\n\n# Heading\n\nText.\n', "markdown")
    assert page.title == "TOML title"
    assert page.blocks[0].kind == "title" and page.blocks[0].line == 2
    assert page.headings[0].line == 5


def test_code_is_kept_out_of_prose() -> None:
    page, _ = parse_page("p.md", "Intro with `best best best` inline.\n\n```\nbest best best\n```\n", "markdown")
    assert [b.text for b in page.prose] == ["Intro with  inline."]
    assert [b.text.strip() for b in page.code] == ["best best best", "best best best"]


def test_html_keeps_only_visible_text() -> None:
    source = (FIXTURES / "twins" / "promo.html").read_text(encoding="utf-8")
    page, _ = parse_page("promo.html", source, "html")
    everything = "\n".join(b.text for b in page.blocks)
    assert "tracker" not in everything
    assert "cheapest" not in everything
    assert "hidden-link" not in everything
    assert page.title == "星河卡怎么充值？星河卡充值教程【TG @xinghe_sim】"
    assert [link.url for link in page.links] == ["https://t.me/xinghe_sim"] * 2
    assert page.links[0].line == 26


def test_html_lines_and_columns_of_blocks() -> None:
    page, _ = parse_page(
        "p.html", "<html><body>\n<h1>Title</h1>\n  <p>Para <a href='/x'>link</a></p>\n</body></html>", "html"
    )
    assert [(b.kind, b.line, b.column) for b in page.blocks] == [("heading", 2, 1), ("paragraph", 3, 3)]
    assert page.title == "Title"
    assert (page.links[0].line, page.links[0].column) == (3, 11)


def _apart_from_positions(findings: list) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.severity.value, re.sub(r"line \d+", "line N", f.evidence)) for f in findings)


def test_markdown_and_html_twins_give_the_same_findings() -> None:
    md = audit((FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8"), "markdown")
    html = audit((FIXTURES / "twins" / "promo.html").read_text(encoding="utf-8"), "html")
    assert md, "the twin page should trigger findings"
    assert _apart_from_positions(md) == _apart_from_positions(html)


def test_a_charset_declared_outside_the_bytes_wins_over_utf8_guessing() -> None:
    # Big5 bytes of a page whose HTTP header said so; they are not valid UTF-8 anyway,
    # but GB18030 would also accept them and give the wrong characters.
    data = "<p>繁體中文網頁</p>".encode("big5")
    assert decode(data, "html", "Big5") == ("<p>繁體中文網頁</p>", "big5")
    assert decode(data, "html", "no-such-charset")[1] == "gb18030"
