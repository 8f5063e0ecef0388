"""Findings carry the spans of page text their evidence rests on, and reports only render them:
no reporter parses a page or reads one again."""

from __future__ import annotations

import ast
import io
import json
import shutil
from pathlib import Path

from auditor import api
from auditor.parsing import parse_page
from auditor.registry import default_registry, engine_checks
from auditor.report import Report
from auditor.reporters import html as html_report
from auditor.reporters import rdjson

from .test_cli import run

ROOT = Path(__file__).parents[1]
REPORTERS = ROOT / "auditor" / "reporters"
# What reads or parses pages: a reporter imports none of it.
PARSERS = ("auditor.parsing", "auditor.input.loading", "markdown_it", "bs4")
READS = {"open", "read_text", "read_bytes"}
ENGINE = {check.name for check in engine_checks()}


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return names


def _package_data(node: ast.expr) -> bool:
    """Whether a call reads the package's own files: `resources.files(...)…read_text()`."""
    return "resources.files" in ast.unparse(node)


def test_no_reporter_imports_a_parser_or_reads_a_file() -> None:
    modules = sorted(REPORTERS.rglob("*.py"))
    assert len(modules) > 10
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        parsers = [name for name in _imports(tree) if name.startswith(PARSERS)]
        assert not parsers, (module, parsers)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in READS:
                raise AssertionError(f"{module}:{node.lineno} calls {func.id}()")
            if isinstance(func, ast.Attribute) and func.attr in READS and not _package_data(func.value):
                raise AssertionError(f"{module}:{node.lineno} calls .{func.attr}()")


def test_no_reporter_knows_a_check_by_its_codes() -> None:
    """What a report shows of a rule comes from the rule (its spans, member details, group titles),
    so no reporter names one of the built-in checks' rule codes."""
    codes = {registered.code for registered in default_registry() if registered.check.name not in ENGINE}
    for module in sorted(REPORTERS.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        named = [
            f"{module.name}:{node.lineno} {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in codes
        ]
        assert not named, named


def test_site_rules_say_how_their_groups_read() -> None:
    rules = default_registry().rules
    assert rules["PL408"].rule.group_name("qq:12345") == "QQ 12345"
    assert rules["PL408"].rule.group_name("text:SAVE20") == "promo code SAVE20"
    assert rules["PL408"].rule.group_name("shop.example.com") == "shop.example.com"
    assert rules["TS201"].rule.group_label == "skeleton "
    assert all(rules[code].rule.group_title for code in ("TS201", "TS202", "PL408"))


def _render(report: Report) -> tuple[str, str]:
    html, rd = io.StringIO(), io.StringIO()
    html_report.render(report, html)
    rdjson.render(report, rd)
    return html.getvalue(), rd.getvalue()


def test_html_and_rdjson_reports_are_made_from_the_audit_alone(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "examples" / "spam", site)
    report = api.audit_paths([site], config=ROOT / "examples" / "auditor.toml", keep_text=True)
    before = _render(report)
    shutil.rmtree(site)
    after = _render(report)
    assert after == before
    html, rd = after
    assert '<mark class="warning"' in html and "can no longer be read" not in html
    diagnostics = json.loads(rd)["diagnostics"]
    chars = {(f.rule, f.line): f.column for r in report.files for f in r.findings}
    # A finding after Chinese text on its line: its column counted in UTF-8 bytes, with no file to read.
    starts = [(d["code"]["value"], d["location"]["range"]["start"]) for d in diagnostics]
    assert any(start["column"] > chars[rule, start["line"]] for rule, start in starts)


def test_a_stuffed_term_is_spanned_at_each_occurrence() -> None:
    source = (ROOT / "examples" / "spam" / "esim-topup.md").read_text(encoding="utf-8")
    findings = api.audit_text(source, "esim-topup.md")
    stuffed = next(f for f in findings if f.rule == "KS101")
    prose = parse_page("esim-topup.md", source, "markdown")[0].prose
    marked = [prose[s.block].text[s.start : s.end] for s in stuffed.spans]
    term = stuffed.spans[0].term
    assert term and term in stuffed.evidence
    assert len(marked) > 10 and {m.lower() for m in marked} == {term.lower()}
    assert all(s.label == "term" for s in stuffed.spans)


def test_claims_and_promo_links_are_spanned_where_they_stand() -> None:
    source = (ROOT / "examples" / "spam" / "esim-topup.md").read_text(encoding="utf-8")
    findings = api.audit_text(source, "esim-topup.md")
    prose = parse_page("esim-topup.md", source, "markdown")[0].prose
    claims = [f for f in findings if f.check == "unverifiable-claims"]
    promo = [f for f in findings if f.check == "promo-links" and f.rule != "PL402"]
    assert claims and promo
    for finding in claims:
        (span,) = finding.spans
        sentence = " ".join(prose[span.block].text[span.start : span.end].split())
        assert span.label == "claim" and sentence.startswith(finding.evidence.removesuffix("…"))
    for finding in promo:
        assert finding.spans, finding
        assert all(prose[s.block].text[s.start : s.end].strip() for s in finding.spans)


def test_html_reports_from_the_cache_are_those_of_a_fresh_audit(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "examples", site, ignore=shutil.ignore_patterns("plugin"))
    cache = str(tmp_path / "cache")
    fresh = run("check", ".", "--format", "html", "--no-cache", cwd=site)
    filled = run("check", ".", "--format", "html", "--cache-dir", cache, cwd=site)
    cached = run("check", ".", "--format", "html", "--cache-dir", cache, cwd=site)
    assert fresh.stdout == filled.stdout == cached.stdout
    assert "<mark" in cached.stdout and "text was not kept" not in cached.stdout
    # The other formats keep no text, in entries of their own.
    text = run("check", ".", "--cache-dir", cache, cwd=site)
    assert text.stdout == run("check", ".", "--no-cache", cwd=site).stdout


def test_rules_declared_as_data_span_their_phrases(tmp_path: Path) -> None:
    # TS102 is an occurrence rule of the kinds; a custom existence rule is spanned the same way.
    source = (ROOT / "examples" / "spam" / "esim-topup.md").read_text(encoding="utf-8")
    prose = parse_page("esim-topup.md", source, "markdown")[0].prose
    (stock,) = [f for f in api.audit_text(source, "esim-topup.md") if f.rule == "TS102"]
    marked = [prose[s.block].text[s.start : s.end] for s in stock.spans]
    assert len(marked) == 4 and all(f"‘{m}’" in stock.evidence for m in marked)
    config = tmp_path / "auditor.toml"
    config.write_text(
        '[[custom-rules]]\nkind = "existence"\ncode = "XC101"\nname = "house-word"\n'
        'message = "‘{match}’ is not our word"\ntokens = ["heavenly"]\n',
        encoding="utf-8",
    )
    (tmp_path / "page.md").write_text("# Notes\n\nThe view was heavenly, truly heavenly.\n", encoding="utf-8")
    report = api.audit_paths([str(tmp_path / "page.md")], config)
    custom = [f for result in report.files for f in result.findings if f.rule == "XC101"]
    assert [(s.start, s.end, s.label) for f in custom for s in f.spans] == [(13, 21, "phrase"), (29, 37, "phrase")]
