"""What identifies a finding across edits: its rule, its path and its evidence, never its line.

Code scanning (SARIF `partialFingerprints`), GitLab Code Quality and the
baseline all need to recognise "the same finding" after the page was edited
above it. The line number moves with every edit, so it is left out; what
stays is the rule, the file and the words that triggered it. Numbers in the
evidence are masked, since they move with unrelated edits (line references
such as "‘总结’ (line 25)", counts such as "19 times in 160 words"), and a site rule's
evidence (which names other pages of the site and counts them) is left out
entirely: a site finding is identified by its rule and page alone. When the
same key occurs several times in a file, the occurrences are numbered in
source order.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from auditor.models import Finding
from auditor.registry import SiteRule, default_registry

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@cache
def _site_rule_codes() -> frozenset[str]:
    return frozenset(r.code for r in default_registry() if issubclass(r.rule, SiteRule))


def match_text(finding: Finding) -> str:
    """The words that identify a finding within its file and rule, with numbers masked as `#`."""
    if finding.rule in _site_rule_codes():
        return ""
    return _NUMBER.sub("#", finding.evidence or finding.message)


@dataclass(frozen=True)
class Identity:
    rule: str
    path: str
    text: str
    occurrence: int  # 0 for the first finding with this rule, path and text in the file, 1 for the next …

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.path, self.text)

    def fingerprint(self) -> str:
        """A stable id: a hash of rule, path and text, then the occurrence number."""
        digest = hashlib.sha256("\0".join(self.key).encode("utf-8")).hexdigest()[:32]
        return f"{digest}:{self.occurrence}"


def identify(findings: Iterable[Finding], path_of: dict[str, str] | None = None) -> Iterator[tuple[Finding, Identity]]:
    """Each finding with its identity; `path_of` renames paths (the baseline keys them by its own folder)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for finding in sorted(findings, key=Finding.sort_key):
        path = path_of.get(finding.path, finding.path) if path_of else finding.path
        key = (finding.rule, path, match_text(finding))
        yield finding, Identity(*key, seen[key])
        seen[key] += 1
