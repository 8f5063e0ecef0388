"""Inline disable comments and front-matter suppressions, in Markdown and HTML."""

from __future__ import annotations

from .conftest import FIXTURES, audit

SPAM = (FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8")


def rules_at(findings: list, line: int) -> set[str]:
    return {f.rule for f in findings if f.line == line}


def test_front_matter_disable_silences_the_whole_file() -> None:
    plain = audit(SPAM)
    codes = sorted({f.rule for f in plain})
    silenced = SPAM.replace("---\n", f"---\nauditor: {{disable: [{', '.join(codes)}]}}\n", 1)
    assert plain and audit(silenced) == []


def test_disable_next_line_silences_only_that_line() -> None:
    plain = audit(SPAM)
    target = max(plain, key=lambda f: f.line)
    lines = SPAM.split("\n")
    lines.insert(target.line - 1, f"<!-- auditor-disable-next-line {target.rule} -->")
    silenced = audit("\n".join(lines))
    assert target.rule not in rules_at(silenced, target.line + 1)
    assert len([f for f in silenced if f.rule != target.rule or f.line != target.line + 1]) == len(
        [f for f in plain if f.rule != target.rule or f.line != target.line]
    )


def test_disable_and_enable_range_by_rule_name() -> None:
    plain = audit(SPAM)
    target = max(plain, key=lambda f: f.line)
    lines = SPAM.split("\n")
    lines.insert(target.line - 1, f"<!-- auditor-disable {target.name} -->")
    lines.insert(target.line + 1, "<!-- auditor-enable -->")
    silenced = audit("\n".join(lines))
    assert target.rule not in rules_at(silenced, target.line + 1)


def test_disable_comment_works_in_html() -> None:
    html = (FIXTURES / "twins" / "promo.html").read_text(encoding="utf-8")
    plain = audit(html, "html")
    assert plain
    silenced = audit(html.replace("<body>", "<body><!-- auditor-disable -->"), "html")
    assert [f for f in silenced if f.line > 8] == []
