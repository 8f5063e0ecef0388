"""The HTML report: one self-contained page for editors and site owners.

    auditor check site/ --format html > report.html

It holds an overview (pages audited and flagged, findings by check and rule
as a chart, the worst pages), the site-level findings as groups (skeleton
clusters, promo destinations, near-copies), one collapsed section per page
with findings (its findings, its text with the evidence marked and labelled
with the rule, its keyword-density chart and heading skeleton), and the
explanation of every rule met, once.

Nothing is fetched: CSS, a little script and the SVG charts are inline, and
a Content-Security-Policy forbids everything else (no remote scripts, styles,
fonts, images or connections; the inline style and script are allowed by
their hashes). Every piece of page text, title, path and URL is escaped; only
http(s) URLs become links, and those carry rel="noopener noreferrer". The
report reads fine with scripting off: the script only adds the filters and
opens a page's section when the address names it (report.html#p-3).

Pages are never read again: the engine keeps their text for this report (see pageview.py).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from html import escape
from importlib import resources
from itertools import pairwise
from typing import TextIO

from auditor import __version__
from auditor.engine.results import FileResult
from auditor.models import Finding, Severity
from auditor.registry import RegisteredRule, Registry, SiteRule, default_registry, rule_docs_html
from auditor.report import Report
from auditor.reporters.html import charts
from auditor.reporters.html.pageview import BlockView, PageView, view_page

_SEVERITIES = ("error", "warning", "info")
_WORST_PAGES = 25
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SIZE_MARK = "\x00size\x00"
# Characters of page bodies (text, chart, skeleton) above which each is kept packed (gzip, base64)
# in an inert <script> holder and unpacked by the browser when its page is opened.
LAZY_ABOVE = 3_000_000


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute: escaped, with control characters and lone
    surrogates (an undecodable file name) replaced."""
    return escape(_CONTROL.sub("\ufffd", str(value)), quote=True)


def _safe_href(url: str) -> str | None:
    """An href for an http(s) URL; anything else (javascript:, data:, relative) is not made a link."""
    url = url.strip()
    if re.match(r"(?i)https?://[^\s\"'<>]+$", url) and not _CONTROL.search(url):
        return url
    return None


def _external(url: str, text: str | None = None) -> str:
    href = _safe_href(url)
    label = esc(text if text is not None else url)
    if href is None:
        return f'<span class="url">{label}</span>'
    return f'<a class="url" href="{esc(href)}" rel="noopener noreferrer nofollow" target="_blank">{label}</a>'


@cache
def _asset(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _sha256(value: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(value.encode("utf-8")).digest()).decode("ascii")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{max(n, 1) / 1000:.0f} kB"


def _counts(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(f.severity.value for f in findings)


def _worst_key(result: FileResult) -> tuple[int, int, int, str]:
    c = _counts(result.findings)
    return (-c["error"], -c["warning"], -c["info"], result.path)


def _worst(findings: Iterable[Finding]) -> str:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=Severity.INFO).value


def _badges(counts: Counter[str]) -> str:
    return "".join(
        f'<span class="sev {s}" title="{_plural(counts[s], s)}">{counts[s]:,}</span>' for s in _SEVERITIES if counts[s]
    )


class _Html:
    """Builds the document; one instance per report."""

    def __init__(self, report: Report, registry: Registry) -> None:
        self.report = report
        self.registry = registry
        self.flagged = sorted((r for r in report.files if r.findings), key=_worst_key)
        self.anchor = {r.path: f"p-{i}" for i, r in enumerate(self.flagged, 1)}
        # (rule, group) -> its id and members, for the site section and links from the pages
        self.groups: dict[tuple[str, str], list[tuple[FileResult, Finding]]] = defaultdict(list)
        for result in self.flagged:
            for finding in result.findings:
                if finding.group:
                    self.groups[finding.rule, finding.group].append((result, finding))
        self.group_id = {key: f"g-{i}" for i, key in enumerate(sorted(self.groups), 1)}
        self.rules_seen = sorted({f.rule for r in self.flagged for f in r.findings})

    # --- the document ------------------------------------------------------

    def document(self) -> str:
        css, js = _asset("report.css"), _asset("report.js")
        csp = (
            "default-src 'none'; "
            f"style-src '{_sha256(css)}'; script-src '{_sha256(js)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        files = len(self.report.files)
        parts = [
            "<!DOCTYPE html>\n",
            '<html lang="en"><head><meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',  # our own text: no quote in it
            '<meta name="referrer" content="no-referrer">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>Content audit: {_plural(len(self.flagged), 'page')} with findings of {files:,}</title>\n",
            f"<style>{css}</style>\n</head>\n<body>\n",
            '<header class="top"><h1>Content audit report</h1>',
            f'<p class="sub">auditor {esc(__version__)} · {_plural(files, "page")} audited · '
            f"report size {_SIZE_MARK}</p>",
            '<nav><a href="#overview">Overview</a><a href="#site">Site-level groups</a>'
            '<a href="#pages">Pages</a><a href="#rules">Rules</a></nav></header>\n',
            self.filters(),
            "<main>\n",
            self.overview(),
            self.site_groups(),
            self.pages(),
            self.rules(),
            "</main>\n",
            "<footer><p>Made by <code>auditor check --format html</code>. Page text is shown as it was "
            "audited; nothing in this file loads anything from the network.</p></footer>\n",
            f"<script>{js}</script>\n</body></html>\n",
        ]
        return "".join(parts)

    def filters(self) -> str:
        severities = _counts(f for r in self.flagged for f in r.findings)
        checks = Counter(f.check for r in self.flagged for f in r.findings)
        if not checks:
            return ""
        boxes = [
            '<form id="filters" class="filters" hidden><fieldset><legend>Severity</legend>',
            *(
                f'<label><input type="checkbox" name="sev" value="{s}" checked> '
                f'<span class="sev {s}">{s}</span> {severities[s]:,}</label>'
                for s in _SEVERITIES
                if severities[s]
            ),
            "</fieldset><fieldset><legend>Check</legend>",
            *(
                f'<label><input type="checkbox" name="check" value="{esc(c)}" checked> {esc(c)} {n:,}</label>'
                for c, n in sorted(checks.items())
            ),
            '</fieldset><fieldset class="acts"><button type="button" data-act="open">Expand pages</button>'
            '<button type="button" data-act="close">Collapse pages</button>'
            '<output id="shown"></output></fieldset></form>\n',
        ]
        return "".join(boxes)

    # --- overview ----------------------------------------------------------

    def overview(self) -> str:
        files = self.report.files
        by_page = [_counts(r.findings) for r in files]
        errors = sum(1 for c in by_page if c["error"])
        warnings = sum(1 for c in by_page if not c["error"] and c["warning"])
        infos = sum(1 for c in by_page if not c["error"] and not c["warning"] and c["info"])
        clean = len(files) - errors - warnings - infos
        total = sum(len(r.findings) for r in files)
        cards = [
            ("pages audited", len(files), ""),
            ("with an error", errors, "error"),
            ("with warnings only", warnings, "warning"),
            ("with infos only", infos, "info"),
            ("clean", clean, "ok"),
            ("findings", total, ""),
        ]
        out = ['<section id="overview"><h2>Overview</h2><div class="cards">']
        out += [f'<div class="card {cls}"><b>{n:,}</b><span>{label}</span></div>' for label, n, cls in cards]
        out.append("</div>")
        rows = self.rule_rows()
        if rows:
            out.append('<h3>Findings by check and rule</h3><div class="legend">')
            out += [f'<span class="key {s}"></span>{s} ' for s in _SEVERITIES]
            out.append(f"</div>{charts.findings_by_rule(rows, esc)}")
        if self.flagged:
            out.append(
                '<h3>Worst pages first</h3><table class="worst"><thead><tr><th>page</th><th>findings</th>'
                "<th>rules</th></tr></thead><tbody>"
            )
            for result in self.flagged[:_WORST_PAGES]:
                rules = Counter(f.rule for f in result.findings)
                listed = ", ".join(f"{code}×{n}" if n > 1 else code for code, n in sorted(rules.items()))
                anchor = self.anchor[result.path]
                out.append(
                    f'<tr data-page="{anchor}"><td><a href="#{anchor}">{esc(result.path)}</a></td>'
                    f"<td>{_badges(_counts(result.findings))}</td><td>{esc(listed)}</td></tr>"
                )
            out.append("</tbody></table>")
            if len(self.flagged) > _WORST_PAGES:
                out.append(
                    f'<p class="dim">…and {len(self.flagged) - _WORST_PAGES:,} more pages with findings, '
                    'in the same order under <a href="#pages">Pages</a>.</p>'
                )
        else:
            out.append('<p class="clean">No findings: every page is clean.</p>')
        out.append("</section>\n")
        return "".join(out)

    def rule_rows(self) -> list[charts.RuleRow]:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        names: dict[str, tuple[str, str]] = {}
        for result in self.flagged:
            for f in result.findings:
                counts[f.rule][f.severity.value] += 1
                names[f.rule] = (f.name, f.check)
        return [
            charts.RuleRow(code, names[code][0], names[code][1], dict(counts[code]))
            for code in sorted(counts, key=lambda c: (names[c][1], c))
        ]

    # --- site-level groups -------------------------------------------------

    def site_groups(self) -> str:
        out = ['<section id="site"><h2>Site-level groups</h2>']
        if not self.groups:
            out.append(
                '<p class="dim">No site-level findings: no skeleton shared by many pages, no promo destination '
                "across pages, no near-copies (site rules run when more than one page is audited).</p></section>\n"
            )
            return "".join(out)
        by_rule: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in self.groups:
            by_rule[key[0]].append(key)
        for rule in sorted(by_rule):
            keys = sorted(by_rule[rule], key=lambda k: (-len(self.groups[k]), k[1]))
            registered = self.registry.rules.get(rule)
            title = _site_rule(registered).group_title or (registered.rule.summary() if registered else "")
            out.append(
                f'<h3><a href="#rule-{esc(rule)}" class="code">{esc(rule)}</a> {esc(title)} '
                f'<span class="dim">{_plural(len(keys), "group")}</span></h3>'
            )
            for key in keys:
                out.append(self.group(key))
        out.append("</section>\n")
        return "".join(out)

    def group(self, key: tuple[str, str]) -> str:
        rule, name = key
        members = self.groups[key]
        findings = [f for _r, f in members]
        severity = _worst(findings)
        check = findings[0].check
        site_rule = _site_rule(self.registry.rules.get(rule))
        items = []
        for result, finding in members:
            extra = f' <span class="dim">{esc(finding.member)}</span>' if finding.member else ""
            items.append(f'<li><a href="#{self.anchor[result.path]}">{esc(result.path)}</a>{extra}</li>')
        return (
            f'<details class="grp" id="{self.group_id[key]}" data-sev="{severity}" data-check="{esc(check)}">'
            f'<summary><span class="sev {severity}">{severity}</span> <b>{_plural(len(members), "page")}</b> '
            f'<span class="gname">{esc(site_rule.group_label)}<q>{esc(site_rule.group_name(name))}</q></span>'
            "</summary>"
            f'<p class="msg">{esc(findings[0].message)}</p><ol class="members">{"".join(items)}</ol></details>\n'
        )

    # --- pages -------------------------------------------------------------

    def pages(self) -> str:
        out = [f'<section id="pages"><h2>Pages with findings <span class="dim">{len(self.flagged):,}</span></h2>']
        if self.flagged:
            out.append(
                '<p class="dim">Worst first. Open a page to see its findings, its text with the evidence '
                "marked (each mark labelled with its rule), its keyword density and its headings.</p>"
            )
        built = [self.page(result) for result in self.flagged]
        # A large report keeps each page's text, chart and skeleton as inert text until the page is
        # opened: the browser then parses a few summaries and tables, not thousands of texts.
        lazy = sum(len(body) for _head, body in built) > LAZY_ABOVE
        for (head, body), result in zip(built, self.flagged, strict=True):
            out.append(head)
            if lazy:
                holder = f"t-{self.anchor[result.path]}"
                out.append(
                    f'<div class="lazy" data-src="{holder}"><noscript><p class="note">This large report shows '
                    "a page's text, density chart and headings only with JavaScript on; its findings and their "
                    "evidence are all above.</p></noscript></div>"
                    f'<script type="application/x-auditor-page+gzip+base64" id="{holder}">{_pack(body)}</script>'
                )
            else:
                out.append(body)
            out.append("</div></details>\n")
        out.append("</section>\n")
        return "".join(out)

    def page(self, result: FileResult) -> tuple[str, str]:
        """A page's section in two parts: its summary and findings, and the rest (text, chart, skeleton),
        which may be kept for later; the caller closes the section."""
        anchor = self.anchor[result.path]
        view = view_page(result)
        counts = _counts(result.findings)
        sevs = " ".join(s for s in _SEVERITIES if counts[s])
        checks = " ".join(sorted({f.check for f in result.findings}))
        title = f' <span class="ttl">{esc(view.title)}</span>' if view.title else ""
        path = _external(result.path) if _safe_href(result.path) else f'<span class="path">{esc(result.path)}</span>'
        out = [
            f'<details class="page" id="{anchor}" data-sevs="{sevs}" data-checks="{esc(checks)}">',
            f"<summary>{_badges(counts)} {path}{title}</summary>",
            '<div class="pbody">',
        ]
        if view.note:
            out.append(f'<p class="note">{esc(view.note)}</p>')
        out.append(self.finding_table(result, anchor, view))
        body = [
            '<div class="cols"><div class="text"><h4>Text, with the evidence marked</h4>',
            self.text(result, anchor, view),
            '</div><aside class="side">',
            self.density(view),
            self.skeleton(result, view),
            "</aside></div>",
        ]
        return "".join(out), "".join(body)

    def finding_table(self, result: FileResult, anchor: str, view: PageView) -> str:
        rows = [
            '<div class="ftable"><table class="findings"><thead><tr><th>severity</th><th>rule</th><th>line</th>'
            "<th>what and why</th><th></th></tr></thead><tbody>"
        ]
        for k, f in enumerate(result.findings):
            evidence = ""
            if f.evidence:
                shown = _external(f.evidence) if _safe_href(f.evidence) else esc(f.evidence)
                evidence = f'<div class="ev">evidence: {shown}</div>'
            where = []
            if k in view.placed:
                where.append(f'<a href="#{anchor}-f{k}">in the text</a>')
            if f.group and (f.rule, f.group) in self.group_id:
                where.append(f'<a href="#{self.group_id[f.rule, f.group]}">site group</a>')
            rows.append(
                f'<tr class="f" data-sev="{f.severity.value}" data-check="{esc(f.check)}">'
                f'<td><span class="sev {f.severity.value}">{f.severity.value}</span></td>'
                f'<td><a class="code" href="#rule-{esc(f.rule)}" title="{esc(f.name)}">{esc(f.rule)}</a></td>'
                f"<td>{f.line}:{f.column}</td><td>{esc(f.message)}{evidence}</td><td>{' '.join(where)}</td></tr>"
            )
        rows.append("</tbody></table></div>")
        return "".join(rows)

    def text(self, result: FileResult, anchor: str, view: PageView) -> str:
        if not view.blocks:
            return '<p class="dim">No text to show.</p>' if not view.note else ""
        labelled: set[int] = set()
        out = ['<div class="doc">']
        for block_view in view.blocks:
            out.append(_block(block_view, result.findings, anchor, labelled))
        if view.omitted:
            out.append(f'<p class="dim">…{_plural(view.omitted, "more block")} of text not shown.</p>')
        out.append("</div>")
        return "".join(out)

    def density(self, view: PageView) -> str:
        chart = view.density
        if chart is None or not chart.bars:
            return ""
        note = (
            f"{chart.total:,} content words; top terms by share, against KS101's limits."
            if chart.total >= chart.min_words
            else f"{chart.total:,} content words: under KS101's minimum of {chart.min_words}, so not judged."
        )
        return (
            f'<h4>Keyword density <a class="code" href="#rule-KS101">KS101</a></h4>'
            f'<p class="dim small">{esc(note)}</p>{charts.density(chart, esc)}'
        )

    def skeleton(self, result: FileResult, view: PageView) -> str:
        if not view.headings:
            return '<h4>Heading skeleton</h4><p class="dim small">No headings.</p>'
        items = []
        for heading in view.headings:
            codes = sorted({result.findings[i].rule for i in heading.findings})
            severity = _worst(result.findings[i] for i in heading.findings) if heading.findings else ""
            tags = "".join(f'<a class="tag {severity}" href="#rule-{esc(c)}">{esc(c)}</a>' for c in codes)
            level = "title" if heading.level == 0 else f"H{heading.level}"
            items.append(
                f'<li class="lv{min(heading.level, 6)}{" hit" if codes else ""}"><span class="lvl">{level}</span> '
                f"{esc(heading.text)} {tags}</li>"
            )
        return f'<h4>Heading skeleton</h4><ul class="skeleton">{"".join(items)}</ul>'

    # --- rules -------------------------------------------------------------

    def rules(self) -> str:
        out = ['<section id="rules"><h2>The rules met in this report</h2>']
        for code in self.rules_seen:
            registered = self.registry.rules.get(code)
            if registered is None:
                continue
            rule = registered.rule
            defaults = ""
            if rule.options:
                listed = ", ".join(f"{k.replace('_', '-')} = {v!r}" for k, v in rule.options.items())
                defaults = f'<p class="dim small">Defaults: {esc(listed)}</p>'
            out.append(
                f'<details class="rule" id="rule-{esc(code)}"><summary><span class="code">{esc(code)}</span> '
                f'{esc(rule.name)} <span class="dim">· {esc(registered.check.name)} · default '
                f"{rule.default_severity.value}</span> — {esc(rule.summary())}</summary>"
                f'<div class="doc-md">{rule_docs_html(rule.docs())}{defaults}'
                f'<p class="dim small">The same text: <code>auditor explain {esc(code)}</code></p></div></details>\n'
            )
        out.append("</section>\n")
        return "".join(out)


def _site_rule(registered: RegisteredRule | None) -> type[SiteRule]:
    """The site rule a group comes from; the plain SiteRule's defaults for a rule no longer installed."""
    return registered.rule if registered and issubclass(registered.rule, SiteRule) else SiteRule


def _block(block_view: BlockView, findings: list[Finding], anchor: str, labelled: set[int]) -> str:
    """One block of the page's text, its marked spans wrapped in <mark>, each mark's start labelled
    with its rule; the first label of a finding carries the id its table row links to."""
    block = block_view.block
    text = block.text
    kind = {"title": "title", "description": "desc", "list_item": "li", "table_cell": "td", "quote": "q"}.get(
        block.kind, f"h h{block.level}" if block.kind == "heading" else "p"
    )
    spans = sorted((s for s in block_view.spans if s.end > s.start), key=lambda s: (s.start, -s.end, s.finding))
    if not spans:
        return f'<div class="b {kind}">{esc(text)}</div>'
    bounds = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    out = [f'<div class="b {kind} has">']
    for a, b in pairwise(bounds):
        started = []
        for span in spans:
            if span.start == a and span.finding not in started:
                started.append(span.finding)
        for index in started:
            f = findings[index]
            ident = ""
            if index not in labelled:
                labelled.add(index)
                ident = f' id="{anchor}-f{index}"'
            out.append(
                f'<a class="tag {f.severity.value}" href="#rule-{esc(f.rule)}"{ident} title="{esc(f.name)}">'
                f"{esc(f.rule)}</a>"
            )
        active = {s.finding for s in spans if s.start <= a and s.end >= b}
        piece = esc(text[a:b])
        if active:
            severity = _worst(findings[i] for i in active)
            names = "; ".join(sorted({f"{findings[i].rule} {findings[i].name}" for i in active}))
            out.append(f'<mark class="{severity}" title="{esc(names)}">{piece}</mark>')
        else:
            out.append(piece)
    out.append("</div>")
    return "".join(out)


def _pack(body: str) -> str:
    """A page body for an inert holder: gzip (no timestamp, so reports are reproducible), then base64,
    whose alphabet cannot end the holder or start markup."""
    return base64.b64encode(gzip.compress(body.encode("utf-8"), compresslevel=6, mtime=0)).decode("ascii")


def render(report: Report, out: TextIO, color: bool = False) -> None:
    """Write the HTML report; its size goes to standard error, for whoever redirected it to a file."""
    html = _Html(report, default_registry()).document()
    size = len(html.encode("utf-8")) - len(_SIZE_MARK.encode("utf-8"))
    html = html.replace(_SIZE_MARK, esc(_size(size + len(_size(size)))), 1)
    data = html.encode("utf-8")
    buffer = getattr(out, "buffer", None)
    if buffer is not None:  # bytes, so the report is UTF-8 whatever the terminal's encoding
        out.flush()
        buffer.write(data)
        buffer.flush()
    else:
        out.write(html)
    flagged = sum(1 for r in report.files if r.findings)
    print(
        f"auditor: HTML report of {_size(len(data))} ({len(data):,} bytes): "
        f"{_plural(flagged, 'page')} with findings of {len(report.files):,}",
        file=sys.stderr,
    )
