"""What the engine produces for a page, and what it carries between its parts.

Note        an io diagnostic about a page, before it is made a Finding
FileResult  a page's findings, and what the site phase and the report need of it
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from auditor.engine import suppression
from auditor.models import Finding, PageText, Severity
from auditor.registry import Rule

# A record of the site phase: (rule code, group key, value).
SiteRecord = tuple[str, Hashable, Any]


@dataclass(frozen=True)
class Note:
    """An io finding about a page, before the engine turns it into a Finding."""

    rule: type[Rule]
    message: str
    line: int = 1


@dataclass
class FileResult:
    path: str
    format: str
    language: str = "und"
    findings: list[Finding] = field(default_factory=list)
    # For the site phase: each site rule's signature of the page, and the
    # page's suppressions, so site findings obey its disable comments too.
    signatures: dict[str, Any] = field(default_factory=dict, repr=False)
    suppressions: suppression.Suppressions | None = field(default=None, repr=False)
    # In a site run, the severity the page verdict (PV501) is given in `finish`, after the
    # site findings have joined; None when it is not selected or was judged already.
    verdict_due: Severity | None = field(default=None, repr=False)
    # A symlink out of the audited tree (IO010): not read, and no report may read it either.
    outside: bool = False
    # The page's text, for the reports that show it (HTML) or measure columns with it (rdjson):
    # kept only by an Auditor made with `keep_text`, and None for a page that was not read.
    text: PageText | None = field(default=None, repr=False)
