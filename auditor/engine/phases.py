"""The two phases of an audit as plain functions over picklable values, for any engine to map.

    sources ─► page_phase ─► FileResult (findings, site signatures)          one page at a time
    results ─► site_keys(step) ─► group by (rule, key) ─► site_reduce(step)  once per group-by step
    result + its site findings ─► finish ─► FileResult                       one page at a time

The in-process engine (`Auditor.audit_site`), a process pool and the Dask
engine all run these same steps; only how records are moved and grouped
differs. Each function takes the run's `Settings` and works with one
`Auditor` per process, built on first use, so a worker loads the registry,
the lexicons and jieba's dictionary once, not once per page.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from auditor.config import Config
from auditor.engine.auditor import Auditor
from auditor.engine.results import FileResult, SiteRecord
from auditor.input.sources import PageSource
from auditor.kinds import registry_for
from auditor.models import Finding
from auditor.registry import Registry

__all__ = [
    "Settings",
    "SiteRecord",
    "auditor_for",
    "build",
    "finish",
    "page_phase",
    "site_keys",
    "site_reduce",
    "site_steps",
]


@dataclass(frozen=True)
class Settings:
    """What a worker needs to audit like the parent: the config, whether the run looks across pages,
    and whether it keeps the pages' text."""

    config: Config
    site: bool = True
    # Whether results carry their page's text (`FileResult.text`): for the reports that need it.
    keep_text: bool = False


def build(settings: Settings, registry: Registry | None = None) -> Auditor:
    """A new Auditor for `settings`, the one place one is made. It runs `registry`, by default the
    installed checks and the config's custom rules."""
    if registry is None:
        registry = registry_for(settings.config)
    return Auditor(registry, settings.config, site=settings.site, keep_text=settings.keep_text)


_cached: tuple[Settings, Auditor] | None = None


def auditor_for(settings: Settings) -> Auditor:
    """This process's Auditor for `settings`, made once and kept while the settings stay the same."""
    global _cached
    if _cached is None or _cached[0] != settings:
        _cached = (settings, build(settings))
    return _cached[1]


def page_phase(source: PageSource, settings: Settings) -> FileResult:
    """One page read, parsed and checked: its findings, and its site rules' signatures."""
    return auditor_for(settings).audit_source(source)


def site_steps(settings: Settings) -> int:
    """How many group-bys the site phase takes (0 when no site rule runs)."""
    return auditor_for(settings).site_steps


def site_keys(result: FileResult, settings: Settings, step: int = 0) -> list[SiteRecord]:
    """The `(rule, key, value)` records a page sends into group-by `step`; group them by `(rule, key)`."""
    return auditor_for(settings).site_keys(result, step)


def site_reduce(
    rule: str, key: Hashable, values: list[Any], settings: Settings, step: int = 0
) -> tuple[list[SiteRecord], list[tuple[str, Finding]]]:
    """One group of group-by `step`: the records it sends into the next group-by, and the findings
    `(path, Finding)` it makes (a rule's last step), for `finish` to join to their pages."""
    return auditor_for(settings).site_reduce(rule, step, key, values)


def finish(result: FileResult, site_findings: Iterable[Finding], settings: Settings) -> FileResult:
    """A page's result with its site findings joined, minus those its disable comments hide, sorted.

    It takes the settings because the page verdict (PV501) is given here, with the config's custom weights."""
    return auditor_for(settings).finish(result, site_findings)
