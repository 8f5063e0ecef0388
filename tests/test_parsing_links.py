"""Links and head metadata the parsers must see: image-only links, reference definitions, meta keywords."""

from __future__ import annotations

from auditor.models import Link, Page
from auditor.parsing import parse_page


def _links(source: str, fmt: str = "markdown") -> tuple[Page, list[Link]]:
    page, _ = parse_page("page." + ("md" if fmt == "markdown" else "html"), source, fmt)
    return page, [link for link in page.links if not link.is_image]


def test_markdown_image_only_link_takes_the_alt_as_text() -> None:
    _, links = _links(
        "Intro.\n\n[![Get the app now](https://cdn.example/banner.png)](https://store.example/app?c=x1)\n"
    )
    assert len(links) == 1
    assert links[0].url == "https://store.example/app?c=x1"
    assert links[0].text == "Get the app now"
    assert links[0].image_only and links[0].line == 3


def test_link_with_text_and_image_is_not_image_only() -> None:
    _, links = _links("[![logo](logo.png) 官网](https://vendor.example/)\n")
    assert links[0].text == "官网" and not links[0].image_only


def test_inline_html_image_link_in_markdown() -> None:
    _, links = _links('段落。\n\n<a href="https://vendor.example/r/AB12"><img src="b.png" alt="立即下载"></a>\n')
    assert [(link.url, link.text, link.image_only) for link in links] == [
        ("https://vendor.example/r/AB12", "立即下载", True)
    ]


def test_html_image_only_link() -> None:
    _, links = _links(
        '<html><body><p><a href="https://vendor.example/go"><img src="x.png" alt="Buy now"></a></p></body></html>',
        "html",
    )
    assert links[0].text == "Buy now" and links[0].image_only


def test_unused_reference_definition_is_a_link_on_its_line() -> None:
    _, links = _links('Some text.\n\n[promo]: https://vendor.example/join/XY12 "Join"\n')
    assert [(link.url, link.text, link.line, link.definition) for link in links] == [
        ("https://vendor.example/join/XY12", "promo", 3, True)
    ]


def test_used_reference_definition_is_the_link_that_uses_it() -> None:
    _, links = _links("See [the shop][s].\n\n[s]: https://vendor.example/\n")
    found = [(link.url, link.text, link.definition) for link in links]
    assert found == [("https://vendor.example/", "the shop", False)]


def test_html_meta_keywords_and_description() -> None:
    page, _ = _links(
        '<html><head><title>T</title><meta name="keywords" content="alpha,  beta, gamma">'
        '<meta name="Description" content="A page."></head><body><p>Body.</p></body></html>',
        "html",
    )
    assert page.keywords is not None and page.keywords.text == "alpha, beta, gamma"
    assert [b.text for b in page.prose if b.kind == "description"] == ["A page."]
    assert page.keywords not in page.prose and page.keywords not in page.body


def test_front_matter_keywords_list() -> None:
    page, _ = _links("---\ntitle: T\nkeywords: [一, 二, three]\n---\n\nBody.\n")
    assert page.keywords is not None and page.keywords.text == "一, 二, three" and page.keywords.line == 3
