"""The site phase: the site rules' chain of group-bys over the signatures of every page.

    signatures ─► keys(step) ─► group by (rule, key) ─► reduce(step) ─► … ─► findings of pages

`keys` and `reduce` are the map and reduce steps any engine runs (a dict here,
a shuffle on Dask); `run` is the whole chain in this process. Site findings
are not yet held against their pages' disable comments: `Screen.join` does that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import Any

from auditor.engine import diagnostics
from auditor.engine.results import FileResult, Note, SiteRecord
from auditor.engine.rules import RuleSet, describe
from auditor.models import Finding
from auditor.registry import RegisteredRule, SiteRule


class SitePhase:
    """The site rules of one run, as steps of group-bys."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules

    @property
    def steps(self) -> int:
        """How many group-bys the site phase takes: the longest chain of the site rules run."""
        return max((registered.rule.steps for registered in self.rules.site_rules), default=0)

    def keys(self, result: FileResult, step: int) -> list[SiteRecord]:
        """What a page sends into group-by `step`: `(rule code, key, value)` records."""
        return [
            (registered.code, key, value)
            for registered in self.rules.site_rules
            for key, value in self._keys(registered, result, step)
        ]

    def reduce(
        self, code: str, step: int, key: Hashable, values: list[Any]
    ) -> tuple[list[SiteRecord], list[tuple[str, Finding]]]:
        """One group of group-by `step` of a site rule: records for the next group-by, or, in the rule's
        last step, its findings `(path, Finding)`."""
        registered = self.rules.registry.rules[code]
        rule = registered.rule()
        assert isinstance(rule, SiteRule)
        out = rule.reduce(step, key, values, self.rules.context(registered))
        if step < rule.steps - 1:
            return [(code, next_key, value) for next_key, value in out], []
        return [], [(path, self.rules.finding(registered, path, hit)) for path, hit in out]

    def run(self, results: list[FileResult]) -> dict[str, list[Finding]]:
        """Every step in this process, each group-by a dict: the site findings of each page, by path.

        A site rule that raises loses its findings and is reported once (IO006), on the first
        page that had its signature."""
        found: dict[str, list[Finding]] = defaultdict(list)
        carried: list[SiteRecord] = []
        broken: dict[str, str] = {}
        for step in range(self.steps):
            groups: dict[tuple[str, Hashable], list[Any]] = defaultdict(list)
            for registered in self.rules.site_rules:
                try:
                    for result in results:
                        for key, value in self._keys(registered, result, step):
                            groups[registered.code, key].append(value)
                except Exception as exc:  # a broken site rule must not stop the run
                    broken[registered.code] = describe(exc)
            for code, key, value in carried:
                groups[code, key].append(value)
            carried = []
            for (code, key), values in groups.items():
                if code in broken:
                    continue
                try:
                    records, findings = self.reduce(code, step, key, values)
                except Exception as exc:  # a broken site rule must not stop the run
                    broken[code] = describe(exc)
                    continue
                carried.extend(records)
                for path, finding in findings:
                    found[path].append(finding)
        for code, reason in sorted(broken.items()):
            self._failure(code, reason, results, found)
        return found

    def _failure(self, code: str, reason: str, results: list[FileResult], found: dict[str, list[Finding]]) -> None:
        """One IO006 finding for a site rule that raised, in place of all its findings."""
        for path in found:
            found[path] = [f for f in found[path] if f.rule != code]
        first = min((r.path for r in results if code in r.signatures), default=None)
        if first is None:
            return
        registered = self.rules.registry.rules[code]
        message = (
            f"check '{registered.check.name}' failed across the site: {code} ({registered.name}) "
            f"raised {reason}; its findings for every page are missing"
        )
        note = Note(diagnostics.InternalError, message)
        found[first].extend(self.rules.notes(first, [note], self.rules.config.rules_for(first)))

    def _keys(self, registered: RegisteredRule, result: FileResult, step: int) -> Iterable[tuple[Hashable, Any]]:
        signature = result.signatures.get(registered.code)
        if signature is None or step >= registered.rule.steps:
            return ()
        rule = registered.rule()
        assert isinstance(rule, SiteRule)
        return list(rule.keys(step, result.path, signature, self.rules.context(registered)))
