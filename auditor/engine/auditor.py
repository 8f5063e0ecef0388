"""The Auditor: one run's parts put together, for the page phase and the site phase of one process.

    PageSource ─► reading ─► pages.parse ─► RuleSet.run ─► Screen.page ─► FileResult
    FileResults ─► SitePhase.run ─► Screen.join ─► FileResults (site findings, verdict)

Nothing in a page stops the run. A file that cannot be read or decoded, or is
read only in part (too large, nested too deep, badly encoded), gets an io
finding; a check that raises or runs past `check-timeout` on a page gets one
`IO006` finding naming it, and the other checks' findings stand. An Auditor
is made by `phases.build` (and kept per process by `phases.auditor_for`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from auditor.config import Config
from auditor.engine import pages, reading, suppression
from auditor.engine.guard import batch_collector
from auditor.engine.results import FileResult, Note, SiteRecord
from auditor.engine.rules import RuleSet
from auditor.engine.screening import Screen, keep_lines
from auditor.engine.site import SitePhase
from auditor.input.loading import printable_path
from auditor.input.sources import PageSource, format_of
from auditor.models import Finding, PageText
from auditor.registry import Registry


class Auditor:
    """Audits pages with one registry and one config."""

    def __init__(self, registry: Registry, config: Config, site: bool = True, keep_text: bool = False) -> None:
        self.registry = registry
        self.config = config
        self.limits = config.limits
        # `site`: whether this run looks across pages; a single-file run skips site rules.
        self.site = site
        # `keep_text`: whether each result carries its page's text (`FileResult.text`), for the report.
        self.keep_text = keep_text
        self.rules = RuleSet(registry, config, site)
        self.screen = Screen(self.rules, config, site)
        self.site_phase = SitePhase(self.rules)

    # --- the page phase -----------------------------------------------------------

    def audit_path(self, path: str) -> FileResult:
        return self.audit_source(PageSource(path))

    def audit_source(self, source: PageSource) -> FileResult:
        """The page phase for one page: its bytes (read from its file unless given), decoded, parsed, checked."""
        fmt = source.fmt or format_of(source.path) or "markdown"
        read = reading.read_source(source, fmt, self.limits)
        return self._audit_read(source.path, fmt, read)

    def audit_bytes(
        self, path: str, data: bytes, fmt: str, charset: str | None = None, size: int | None = None
    ) -> FileResult:
        """A page whose bytes are read; `size`: the file's size, when `data` is only its first part."""
        size = len(data) if size is None else size
        return self._audit_read(path, fmt, reading.read_bytes_of(path, data, size, fmt, charset, self.limits))

    def audit_text(self, path: str, text: str, fmt: str) -> FileResult:
        return self._audit_read(path, fmt, reading.Read(text, reading.name_notes(path, [])))

    def _audit_read(self, path: str, fmt: str, read: reading.Read) -> FileResult:
        selected = self.config.rules_for(path)
        if read.text is None:
            result = self._unaudited(path, fmt, read.notes, selected)
            result.outside = read.outside
            return result
        text = PageText(PageText.lines_of(read.text)) if self.keep_text else None
        shown = printable_path(path)
        parsed = pages.parse(shown, read.text, fmt, self.limits)
        notes = read.notes + parsed.notes
        if parsed.page is None:
            return self._unaudited(path, fmt, notes, selected, text)
        page = parsed.page
        result = FileResult(shown, fmt, page.language, text=text)
        if text is not None:
            text.add_page(page, self.rules.density(page))
        findings = self.rules.notes(path, notes, selected) + self.rules.run(page, selected, result.signatures)
        hidden = suppression.parse(read.text, page.front_matter, self.registry.resolve)
        self.screen.page(result, findings, hidden, selected)
        return result

    def _unaudited(
        self, path: str, fmt: str, notes: list[Note], selected: frozenset[str], text: PageText | None = None
    ) -> FileResult:
        """The result of a page that was not audited, holding only its io findings."""
        result = FileResult(printable_path(path), fmt, "und", self.rules.notes(path, notes, selected), text=text)
        keep_lines(result)
        return result

    # --- the site phase -------------------------------------------------------------

    def audit_site(self, results: list[FileResult]) -> None:
        """The site phase in this process; each result gets its site findings and its verdict."""
        with batch_collector():
            found = self.site_phase.run(results)
            for result in results:
                self.finish(result, found.get(result.path, ()))

    @property
    def site_steps(self) -> int:
        return self.site_phase.steps

    def site_keys(self, result: FileResult, step: int) -> list[SiteRecord]:
        return self.site_phase.keys(result, step)

    def site_reduce(
        self, code: str, step: int, key: Hashable, values: list[Any]
    ) -> tuple[list[SiteRecord], list[tuple[str, Finding]]]:
        return self.site_phase.reduce(code, step, key, values)

    def finish(self, result: FileResult, site_findings: Iterable[Finding]) -> FileResult:
        """A page's result with its site findings, minus those its disable comments hide, sorted."""
        return self.screen.join(result, site_findings)
