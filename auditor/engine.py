"""Running the audit: the pipeline from a path to the findings of its page.

    read bytes ─► decode ─► parse into Page ─► each selected rule ─► suppressions

A file that cannot be read, decoded or parsed becomes a finding of the `io`
check and the run goes on with the other files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
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

# A record of the site phase: (rule code, group key, value).
SiteRecord = tuple[str, Hashable, Any]


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
        self._contexts: dict[str, Context] = {}

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
        """The site phase in this process: the site rules' chain of group-bys over all pages.

        The same map/reduce steps a distributed engine runs (`site_keys`,
        `site_reduce`, `finish`), with each group-by a dict. Site findings
        join the findings of their pages, which stay sorted; the signatures
        are dropped afterwards, since nothing else needs them.
        """
        found: dict[str, list[Finding]] = defaultdict(list)
        carried: list[SiteRecord] = []
        for step in range(self.site_steps):
            groups: dict[tuple[str, Hashable], list[Any]] = defaultdict(list)
            for result in results:
                for code, key, value in self.site_keys(result, step):
                    groups[code, key].append(value)
            for code, key, value in carried:
                groups[code, key].append(value)
            carried = []
            for (code, key), values in groups.items():
                records, findings = self.site_reduce(code, step, key, values)
                carried.extend(records)
                for path, finding in findings:
                    found[path].append(finding)
        for result in results:
            self.finish(result, found.get(result.path, ()))

    @property
    def site_steps(self) -> int:
        """How many group-bys the site phase takes: the longest chain of the site rules run."""
        return max((registered.rule.steps for registered in self._site_rules), default=0)

    def site_keys(self, result: FileResult, step: int) -> list[SiteRecord]:
        """What a page sends into group-by `step` of the site phase: `(rule code, key, value)` records."""
        records: list[SiteRecord] = []
        for registered in self._site_rules:
            signature = result.signatures.get(registered.code)
            if signature is None or step >= registered.rule.steps:
                continue
            rule = registered.rule()
            assert isinstance(rule, SiteRule)
            for key, value in rule.keys(step, result.path, signature, self._context(registered)):
                records.append((registered.code, key, value))
        return records

    def site_reduce(
        self, code: str, step: int, key: Hashable, values: list[Any]
    ) -> tuple[list[SiteRecord], list[tuple[str, Finding]]]:
        """One group of group-by `step` of a site rule: records for the next group-by, or, in the rule's
        last step, its findings `(path, Finding)` (not yet checked against the page's suppressions)."""
        registered = self.registry.rules[code]
        rule = registered.rule()
        assert isinstance(rule, SiteRule)
        out = rule.reduce(step, key, values, self._context(registered))
        if step < rule.steps - 1:
            return [(code, next_key, value) for next_key, value in out], []
        return [], [(path, self._finding(registered, path, hit)) for path, hit in out]

    @staticmethod
    def finish(result: FileResult, site_findings: Iterable[Finding]) -> FileResult:
        """A page's result with its site findings, minus those its disable comments hide, sorted."""
        hidden = result.suppressions
        kept = [f for f in site_findings if hidden is None or not hidden.hides(f)]
        # The order site findings arrive in depends on the engine; sort them on every field first.
        kept.sort(key=lambda f: (*f.sort_key(), f.evidence, f.severity.rank, f.end_line, f.end_column))
        result.findings.extend(kept)
        result.findings.sort(key=Finding.sort_key)
        result.signatures.clear()
        result.suppressions = None
        return result

    def _context(self, registered: RegisteredRule) -> Context:
        # Made once per rule: the site phase asks for it once per group, and groups run to millions.
        context = self._contexts.get(registered.code)
        if context is None:
            options = {**registered.rule.options, **self.config.options.get(registered.code, {})}
            context = self._contexts[registered.code] = Context(
                options, self.config.watch_terms, self.config.allow_terms
            )
        return context

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
