"""Property-based tests: whatever the bytes, text or structure of a page, nothing escapes.

Loading (arbitrary bytes), parsing (random Markdown and HTML structures built
from the lexicons, so that every check has something to find) and every check
(all rules selected; a check that raises would show as an IO006 finding, which
must never appear): no exception escapes, and every finding's position is
inside the file. Profiles are set in conftest.py (`ci` by default, `long` by hand).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from auditor.config import Config
from auditor.engine.auditor import Auditor
from auditor.engine.results import FileResult
from auditor.input.loading import LoadError, decode_text
from auditor.models import Finding
from auditor.registry import default_registry

PACKAGE = Path(__file__).parents[1] / "auditor"


def _lexicon_entries() -> list[str]:
    entries = []
    for path in sorted(PACKAGE.glob("**/data/*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("# "):
                entries.append(line.strip())
    return entries


LEXICON = _lexicon_entries()
URLS = [
    "https://t.me/deal_bot",
    "https://bit.ly/3xYz",
    "https://shop.example/item?ref=aff123&utm_source=x",
    "https://wa.me/15550001111",
    "./302.html?target=https://shop.example",
    "https://docs.example/guide",
    "mailto:a@b.example",
    "",
    "javascript:void(0)",
]

words = st.one_of(
    st.sampled_from(LEXICON),
    st.sampled_from(["the", "router", "路由器", "速度", "test", "@deal_bot", "QQ：81234567", "100%", "#1", "3 倍"]),
    st.text(min_size=1, max_size=12),
)
phrase = st.lists(words, min_size=1, max_size=12).map(" ".join)
url = st.one_of(st.sampled_from(URLS), st.text(max_size=30))


@st.composite
def inline(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["text", "link", "image", "bare", "bold", "code", "html", "tag"]))
        text, target = draw(phrase), draw(url)
        parts.append(
            {
                "text": text,
                "link": f"[{text}]({target})",
                "image": f"![{text}]({target})",
                "bare": target,
                "bold": f"**{text}**",
                "code": f"`{text}`",
                "html": f'<a href="{target}">{text}</a>',
                "tag": f"{{% {text} %}}{{{{ {text}",
            }[kind]
        )
    return " ".join(parts)


@st.composite
def markdown_page(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines += ["---", f"title: {draw(phrase)!r}", f"description: {draw(phrase)!r}", "---", ""]
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["heading", "paragraph", "list", "quote", "fence", "html", "table", "disable"]))
        depth = draw(st.integers(0, 6))
        if kind == "heading":
            lines.append("#" * draw(st.integers(1, 6)) + " " + draw(inline()))
        elif kind == "paragraph":
            lines += [draw(inline()) for _ in range(draw(st.integers(1, 3)))]
        elif kind == "list":
            lines += ["  " * draw(st.integers(0, depth)) + draw(st.sampled_from(["- ", "1. ", "* "])) + draw(inline())]
        elif kind == "quote":
            lines.append("> " * (depth + 1) + draw(inline()))
        elif kind == "fence":
            lines += ["```", draw(phrase), "```"]
        elif kind == "html":
            lines.append(draw(html_fragment))
        elif kind == "table":
            lines += [f"| {draw(phrase)} | {draw(inline())} |", "|---|---|", f"| {draw(phrase)} | x |"]
        else:
            lines.append(
                draw(st.sampled_from(["<!-- auditor-disable -->", "<!-- auditor-disable-next-line PL401 -->"]))
            )
        lines.append(draw(st.sampled_from(["", "", "\n", "\t"])))
    return "\n".join(lines)


TAGS = ["div", "p", "span", "a", "h1", "h2", "h3", "ul", "li", "table", "tr", "td", "blockquote", "pre", "code",
        "script", "style", "b", "section", "title", "img", "br", "meta", "head", "body", "template"]  # fmt: skip
ATTRIBUTES = ['href="{url}"', 'src="{url}"', "hidden", 'style="display:none"', 'aria-hidden="true"',
              'name="description" content="{text}"', 'class="x"']  # fmt: skip


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        tag = draw(st.sampled_from(TAGS))
        attributes = " ".join(
            draw(st.sampled_from(ATTRIBUTES)).format(url=draw(url).replace('"', ""), text=draw(phrase))
            for _ in range(draw(st.integers(0, 2)))
        )
        inner = "".join(draw(st.lists(children, max_size=4)))
        closing = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</p>"]))  # unclosed and stray tags too
        return f"<{tag} {attributes}>{inner}{closing}"

    return build()


html_fragment = st.recursive(phrase | st.sampled_from(["<", "&amp;", "<!--", "-->", "\n"]), _element, max_leaves=25)


def _auditor() -> Auditor:
    registry = default_registry()
    return Auditor(registry, Config(selected=frozenset(registry.rules)))


def assert_sound(result: FileResult, text: str | None) -> None:
    """No check failed, and every finding points inside the file (line 1 when the text could not be read)."""
    line_count = text.count("\n") + 1 if text is not None else 1
    for finding in result.findings:
        assert finding.rule != "IO006", finding.message
        _assert_inside(finding, line_count)


def _assert_inside(finding: Finding, line_count: int) -> None:
    where = f"{finding.rule} at {finding.line}:{finding.column}-{finding.end_line}:{finding.end_column}"
    assert 1 <= finding.line <= line_count, f"{where}, file of {line_count} lines"
    assert finding.line <= finding.end_line <= line_count, where
    assert finding.column >= 1 and finding.end_column >= 1, where


def _decoded(data: bytes, fmt: str) -> str | None:
    try:
        return decode_text(data, fmt).text
    except LoadError:
        return None


@given(st.binary(max_size=2048), st.sampled_from(["markdown", "html"]))
def test_loading_arbitrary_bytes(data: bytes, fmt: str) -> None:
    text = _decoded(data, fmt)
    result = _auditor().audit_bytes("page.md", data, fmt)
    assert_sound(result, text)
    if text is None:
        assert [f.rule for f in result.findings] == ["IO001"]


@given(st.text(max_size=2000), st.sampled_from(["markdown", "html"]))
def test_arbitrary_unicode(source: str, fmt: str) -> None:
    assert_sound(_auditor().audit_text("page", source, fmt), source)


@given(markdown_page(), st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-16-le"]))
def test_random_markdown_structures(source: str, encoding: str) -> None:
    data = source.encode(encoding, errors="replace")
    assert_sound(_auditor().audit_bytes("page.md", data, "markdown"), _decoded(data, "markdown"))


@given(st.lists(html_fragment, max_size=6).map("".join))
def test_random_html_structures(source: str) -> None:
    assert_sound(_auditor().audit_text("page.html", source, "html"), source)


@given(st.lists(markdown_page(), min_size=2, max_size=4))
def test_site_rules_over_random_pages(pages: list[str]) -> None:
    auditor = _auditor()
    results = [auditor.audit_text(f"p{i}.md", source, "markdown") for i, source in enumerate(pages)]
    auditor.audit_site(results)
    for result, source in zip(results, pages, strict=True):
        assert_sound(result, source)
