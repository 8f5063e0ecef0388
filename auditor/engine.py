"""Running the audit: the pipeline from a path to the findings of its page.

    read bytes ─► decode ─► parse into Page ─► each selected rule ─► suppressions

A file that cannot be read, decoded or parsed becomes a finding of the `io`
check and the run goes on with the other files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor import suppression
from auditor.checks.io import CHECK as IO
from auditor.checks.io import InvalidFrontMatter, UnreadableFile
from auditor.config import Config
from auditor.loading import LoadError, decode
from auditor.models import Finding, Page
from auditor.parsing import format_of, parse_page
from auditor.registry import Context, Hit, RegisteredRule, Registry, Rule


@dataclass
class FileResult:
    path: str
    format: str
    language: str = "und"
    findings: list[Finding] = field(default_factory=list)


class Auditor:
    """Audits pages with one registry and one config."""

    def __init__(self, registry: Registry, config: Config) -> None:
        self.registry = registry
        self.config = config
        self._rules = [r for r in registry if r.check.name != IO.name]

    def audit_path(self, path: str) -> FileResult:
        fmt = format_of(path) or "markdown"
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            return self._unreadable(path, fmt, f"cannot be read: {exc.strerror or exc}")
        return self.audit_bytes(path, data, fmt)

    def audit_bytes(self, path: str, data: bytes, fmt: str) -> FileResult:
        try:
            source, _encoding = decode(data, fmt)
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
        return FileResult(path, fmt, page.language, findings)

    def _run_rule(self, registered: RegisteredRule, page: Page) -> Iterable[Finding]:
        rule = registered.rule
        options = {**rule.options, **self.config.options.get(rule.code, {})}
        context = Context(options, self.config.watch_terms, self.config.allow_terms)
        for hit in rule().check(page, context):
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
