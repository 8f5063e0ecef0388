"""Running page rules: the checks a run applies to a Page, under time limits, and their hits made findings.

    Page ─► each selected check's rules (one check-timeout per check) ─► findings, site signatures

A rule that raises loses its findings on the page and the check's other rules
still run; a check out of time is stopped. Either way one IO006 finding names it.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.config import Config
from auditor.engine import diagnostics
from auditor.engine.guard import TimeLimitExceeded, time_limit
from auditor.engine.results import Note
from auditor.input.loading import printable_path
from auditor.models import Density, Finding, Page
from auditor.registry import Check, Context, Hit, RegisteredRule, Registry, SiteRule, engine_checks

# Longest part of an exception's message quoted in an IO006 finding.
_ERROR_QUOTE = 200


class RuleSet:
    """The rules of one run, in check order, with their options; what turns their hits into findings."""

    def __init__(self, registry: Registry, config: Config, site: bool) -> None:
        self.registry = registry
        self.config = config
        self.checks: list[tuple[Check, list[RegisteredRule]]] = []
        # The io and page-verdict rules are the engine's own: they read files and findings, not pages.
        own = engine_checks()
        for registered in registry:
            if registered.check in own or (issubclass(registered.rule, SiteRule) and not site):
                continue
            if not self.checks or self.checks[-1][0] is not registered.check:
                self.checks.append((registered.check, []))
            self.checks[-1][1].append(registered)
        self.site_rules = [r for _, rules in self.checks for r in rules if issubclass(r.rule, SiteRule)]
        self._contexts: dict[str, Context] = {}

    def run(self, page: Page, selected: frozenset[str], signatures: dict[str, object]) -> list[Finding]:
        """The findings of the selected page rules on `page`; the site rules' signatures go into `signatures`."""
        findings: list[Finding] = []
        for check, rules in self.checks:
            chosen = [r for r in rules if r.code in selected]
            if chosen:
                findings.extend(self._run_check(check, chosen, page, signatures, selected))
        return findings

    def density(self, page: Page) -> Density | None:
        """The page's term density, from the first rule that grades one (KS101), for the HTML report."""
        for _, rules in self.checks:
            for registered in rules:
                found = registered.rule().density(page, self.context(registered))
                if found is not None:
                    return found
        return None

    def _run_check(
        self,
        check: Check,
        rules: list[RegisteredRule],
        page: Page,
        signatures: dict[str, object],
        selected: frozenset[str],
    ) -> list[Finding]:
        findings: list[Finding] = []
        failures: list[str] = []
        running = rules[0]
        timeout = self.config.limits.check_timeout
        try:
            with time_limit(timeout):
                for running in rules:
                    try:
                        if issubclass(running.rule, SiteRule):
                            signature = running.rule().signature(page, self.context(running))
                            if signature is not None:
                                signatures[running.code] = signature
                        else:
                            hits = list(running.rule().check(page, self.context(running)))
                            findings.extend(self.finding(running, page.path, hit) for hit in hits)
                    except Exception as exc:  # a broken check must not stop the run
                        failures.append(f"{running.code} ({running.name}) raised {describe(exc)}")
        except TimeLimitExceeded:
            failures.append(
                f"it ran past check-timeout ({timeout:g} s) in {running.code} ({running.name}) and was stopped"
            )
        if failures:
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            message = f"check '{check.name}' failed on this page: {failures[0]}{more}; its findings here are missing"
            findings.extend(self.notes(page.path, [Note(diagnostics.InternalError, message)], selected))
        return findings

    def context(self, registered: RegisteredRule) -> Context:
        # Made once per rule: the site phase asks for it once per group, and groups run to millions.
        context = self._contexts.get(registered.code)
        if context is None:
            options = {**registered.rule.options, **self.config.options.get(registered.code, {})}
            context = self._contexts[registered.code] = Context(
                options, self.config.watch_terms, self.config.allow_terms
            )
        return context

    def finding(self, registered: RegisteredRule, path: str, hit: Hit) -> Finding:
        """A rule's hit on the page at `path`, with the rule's identity and its configured severity."""
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
            spans=hit.spans,
            member=hit.member,
        )

    def notes(self, path: str, notes: Iterable[Note], selected: frozenset[str]) -> list[Finding]:
        """The io findings of `notes` whose rules are selected for the page."""
        shown = printable_path(path)
        return [
            self.finding(self.registry.rules[note.rule.code], shown, Hit(note.line, 1, note.message))
            for note in notes
            if note.rule.code in selected
        ]


def describe(exc: BaseException) -> str:
    """An exception in one line, its message cut short: `ValueError: bad value`."""
    text = " ".join(str(exc).split())
    if len(text) > _ERROR_QUOTE:
        text = text[:_ERROR_QUOTE] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
