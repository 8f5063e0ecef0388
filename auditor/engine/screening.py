"""What stands between a page's findings and its report: its disable comments, the findings limit,
and the page verdict that is judged on what is left.

    page findings ─► disable comments ─► max-findings-per-file (IO005) ─┐
    site findings ─► disable comments ──────────────────────────────────┴─► page verdict (PV501) ─► sorted

`visible` is the one place a disable comment hides a finding: page, site and
verdict findings all pass through it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from auditor.config import Config
from auditor.engine import diagnostics, verdict
from auditor.engine.results import FileResult, Note
from auditor.engine.rules import RuleSet
from auditor.engine.suppression import Suppressions
from auditor.kinds.base import DataRule
from auditor.models import Finding, Severity


def visible(findings: Iterable[Finding], hidden: Suppressions | None) -> list[Finding]:
    """The findings no disable comment of their page hides."""
    return list(findings) if hidden is None else [f for f in findings if not hidden.hides(f)]


class Screen:
    """Holds each page's findings to its disable comments and the run's limits, and adds its verdict."""

    def __init__(self, rules: RuleSet, config: Config, site: bool) -> None:
        self.rules = rules
        self.config = config
        # In a site run the verdict waits for the site findings (`join`); otherwise it is given at once.
        self.site = site
        # Rules declared as data may carry their own weight in the page verdict (a custom rule's `weight`).
        declared = {
            r.code: r.rule.weight for r in rules.registry if issubclass(r.rule, DataRule) and r.rule.weight is not None
        }
        self.verdict_weights = verdict.weights().with_rules(declared)

    def page(self, result: FileResult, findings: list[Finding], hidden: Suppressions, selected: frozenset[str]) -> None:
        """The page phase's findings into `result`: the visible ones, at most the limit, then the verdict or
        (in a site run) the note that it is due."""
        kept = sorted(visible(findings, hidden), key=Finding.sort_key)
        result.findings = self._within_limit(kept, result.path, selected)
        if verdict.CODE in selected:
            severity = self.config.severities.get(verdict.CODE) or verdict.ReadsAsPromotion.default_severity
            if self.site:
                result.verdict_due = severity  # judged in `join`, once the site rules have added their evidence
            else:
                self._add_verdict(result, severity, hidden)
        if result.signatures or result.verdict_due:
            result.suppressions = hidden
        if not self.site:
            keep_lines(result)  # no site finding is to come

    def join(self, result: FileResult, site_findings: Iterable[Finding]) -> FileResult:
        """A page's result with its visible site findings and its verdict, sorted; the site phase's
        signatures and suppressions are dropped, since nothing else needs them."""
        hidden = result.suppressions
        kept = visible(site_findings, hidden)
        # The order site findings arrive in depends on the engine; sort them on every field first.
        kept.sort(key=lambda f: (*f.sort_key(), f.evidence, f.severity.rank, f.end_line, f.end_column))
        result.findings.extend(kept)
        if result.verdict_due is not None:
            self._add_verdict(result, result.verdict_due, hidden)
            result.verdict_due = None
        result.findings.sort(key=Finding.sort_key)
        result.signatures.clear()
        result.suppressions = None
        keep_lines(result)
        return result

    def _add_verdict(self, result: FileResult, severity: Severity, hidden: Suppressions | None) -> None:
        """The page's PV501 finding, when its findings reach the threshold and no disable comment hides it."""
        judged = verdict.verdict(result.findings, result.path, severity, self.verdict_weights)
        if judged is not None and visible([judged], hidden):
            result.findings.append(judged)
            result.findings.sort(key=Finding.sort_key)

    def _within_limit(self, findings: list[Finding], path: str, selected: frozenset[str]) -> list[Finding]:
        """At most `max-findings-per-file` findings, the most severe kept; the cut ones are counted by IO005.

        The io findings about the page itself are always kept, beyond the limit.
        """
        limit = self.config.limits.max_findings_per_file
        if not limit or len(findings) <= limit:
            return findings
        own = [f for f in findings if f.check == diagnostics.CHECK.name]
        ranked = sorted(
            (f for f in findings if f.check != diagnostics.CHECK.name), key=lambda f: (-f.severity.rank, *f.sort_key())
        )
        kept, cut = own + ranked[:limit], ranked[limit:]
        counts = ", ".join(f"{code} ×{n:,}" for code, n in sorted(Counter(f.rule for f in cut).items()))
        message = (
            f"{len(cut):,} more findings were not listed (max-findings-per-file is {limit}; the most severe "
            f"are listed): {counts}"
        )
        cut = self.rules.notes(path, [Note(diagnostics.FindingsCut, message)], selected)
        return sorted(kept + cut, key=Finding.sort_key)


def keep_lines(result: FileResult) -> None:
    """Cut the kept text's lines down to those the findings point at, once all findings are in."""
    if result.text is not None:
        result.text.keep_lines(n for f in result.findings for n in (f.line, f.end_line))
