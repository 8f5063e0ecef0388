"""Running the audit: the pipeline from a path to the findings of its page.

    read bytes ─► decode ─► parse into Page ─► each selected rule ─► suppressions

A file that cannot be read, decoded or parsed becomes a finding of the `io`
check and the run goes on with the other files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any

from auditor import suppression
from auditor.checks.io import CHECK as IO
from auditor.checks.io import InvalidFrontMatter, UnreadableFile
from auditor.config import Config
from auditor.loading import LoadError, decode
from auditor.models import Finding, Page
from auditor.parsing import format_of, parse_page
from auditor.registry import Context, Hit, RegisteredRule, Registry, Rule, SiteRule
from auditor.sources import PageSource


@dataclass
class FileResult:
    path: str
    format: str
    language: str = "und"
    findings: list[Finding] = field(default_factory=list)
    # A digest of the text that was audited, so a report that reads the page again
    # (the HTML report) can tell whether the file changed since.
    digest: str = ""
    # For the site phase: each site rule's signature of the page, and the
    # page's suppressions, so site findings obey its disable comments too.
    signatures: dict[str, Any] = field(default_factory=dict, repr=False)
    suppressions: suppression.Suppressions | None = field(default=None, repr=False)


def text_digest(source: str) -> str:
    """A short fingerprint of a page's decoded text."""
    return blake2b(source.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class Auditor:
    """Audits pages with one registry and one config."""

    def __init__(self, registry: Registry, config: Config, site: bool = True) -> None:
        self.registry = registry
        self.config = config
        # `site`: whether this run looks across pages; a single-file run skips site rules.
        content = [r for r in registry if r.check.name != IO.name]
        self._rules = [r for r in content if not issubclass(r.rule, SiteRule)]
        self._site_rules = [r for r in content if issubclass(r.rule, SiteRule)] if site else []

    def audit_path(self, path: str) -> FileResult:
        return self.audit_source(PageSource(path))

    def audit_source(self, page: PageSource) -> FileResult:
        """The page phase for one page: its bytes (read from its file unless given), decoded, parsed, checked."""
        path = page.path
        fmt = page.fmt or format_of(path) or "markdown"
        data = page.data
        if data is None:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                return self._unreadable(path, fmt, f"cannot be read: {exc.strerror or exc}")
        return self.audit_bytes(path, data, fmt, page.charset)

    def audit_bytes(self, path: str, data: bytes, fmt: str, charset: str | None = None) -> FileResult:
        try:
            source, _encoding = decode(data, fmt, charset)
        except LoadError as exc:
            return self._unreadable(path, fmt, str(exc))
        return self.audit_text(path, source, fmt)

    def audit_text(self, path: str, source: str, fmt: str) -> FileResult:
        page, front = parse_page(path, source, fmt)
        selected = self.config.rules_for(path)
        findings: list[Finding] = []
        if front.error:
            findings.extend(self._io_finding(path, InvalidFrontMatter, 1, front.error, selected))
        for registered in self._rules:
            if registered.code in selected:
                findings.extend(self._run_rule(registered, page))
        hidden = suppression.parse(source, page.front_matter, self.registry.resolve)
        findings = sorted(hidden.apply(findings), key=Finding.sort_key)
        result = FileResult(path, fmt, page.language, findings, text_digest(source))
        for registered in self._site_rules:
            if registered.code in selected:
                signature = registered.rule().signature(page, self._context(registered))
                if signature is not None:
                    result.signatures[registered.code] = signature
        if result.signatures:
            result.suppressions = hidden
        return result

    def audit_site(self, results: list[FileResult]) -> None:
        """The site phase: each site rule looks across the signatures of all pages.

        Its findings join the findings of their pages, which stay sorted; the
        signatures are dropped afterwards, since nothing else needs them.
        """
        by_path = {result.path: result for result in results}
        for registered in self._site_rules:
            signatures = {r.path: r.signatures[registered.code] for r in results if registered.code in r.signatures}
            if len(signatures) < 2:
                continue
            for path, hit in registered.rule().check_site(signatures, self._context(registered)):
                result = by_path[path]
                finding = self._finding(registered, path, hit)
                if result.suppressions is None or not result.suppressions.hides(finding):
                    result.findings.append(finding)
        for result in results:
            result.findings.sort(key=Finding.sort_key)
            result.signatures.clear()
            result.suppressions = None

    def _context(self, registered: RegisteredRule) -> Context:
        options = {**registered.rule.options, **self.config.options.get(registered.code, {})}
        return Context(options, self.config.watch_terms, self.config.allow_terms)

    def _run_rule(self, registered: RegisteredRule, page: Page) -> Iterable[Finding]:
        for hit in registered.rule().check(page, self._context(registered)):
            yield self._finding(registered, page.path, hit)

    def _finding(self, registered: RegisteredRule, path: str, hit: Hit) -> Finding:
        rule = registered.rule
        severity = self.config.severities.get(rule.code) or hit.severity or rule.default_severity
        return Finding(
            rule=rule.code,
            name=rule.name,
            check=registered.check.name,
            severity=severity,
            path=path,
            line=hit.line,
            column=hit.column,
            end_line=hit.end_line or hit.line,
            end_column=hit.end_column or hit.column,
            message=hit.message,
            evidence=hit.evidence,
            group=hit.group,
        )

    def _io_finding(
        self, path: str, rule: type[Rule], line: int, message: str, selected: frozenset[str]
    ) -> list[Finding]:
        if rule.code not in selected:
            return []
        registered = self.registry.rules[rule.code]
        return [self._finding(registered, path, Hit(line, 1, message))]

    def _unreadable(self, path: str, fmt: str, reason: str) -> FileResult:
        message = f"{path} {reason}; it was not audited"
        return FileResult(
            path, fmt, "und", self._io_finding(path, UnreadableFile, 1, message, self.config.rules_for(path))
        )
