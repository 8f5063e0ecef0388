"""Running the audit: the pipeline from a path to the findings of its page.

    read bytes ─► decode ─► parse into Page ─► each selected check ─► suppressions ─► findings limit

Nothing in a page stops the run. A file that cannot be read or decoded, or is
read only in part (too large, nested too deep, badly encoded), gets a finding
of the `io` check; a check that raises or runs past `check-timeout` on a page
gets one `IO006` finding naming it, and the other checks' findings stand.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from auditor import diagnostics, suppression, verdict
from auditor.config import Config
from auditor.guard import TimeLimitExceeded, time_limit
from auditor.kinds.base import DataRule
from auditor.loading import LoadError, cut_bytes, decode_text, printable_path, read_bytes
from auditor.models import Density, Finding, Page, PageText, Severity
from auditor.parsing import format_of, parse_page
from auditor.registry import Check, Context, Hit, RegisteredRule, Registry, Rule, SiteRule, engine_checks
from auditor.sources import PageSource

# A record of the site phase: (rule code, group key, value).
SiteRecord = tuple[str, Hashable, Any]

_BAD_NAME = "the file name is not valid UTF-8 (its bad bytes are shown as \\xNN); rename it in UTF-8"
# Longest part of an exception's message quoted in an IO006 finding.
_ERROR_QUOTE = 200


@dataclass(frozen=True)
class _Note:
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


# Collector thresholds for a batch of pages (see `batch_collector`).
BATCH_THRESHOLDS = (50_000, 20, 100)


@contextlib.contextmanager
def batch_collector() -> Iterator[None]:
    """The garbage collector tuned for a batch of pages or the site phase: what is loaded by now
    (modules, word lists, jieba's dictionary) is set aside for good, and collections come less
    often. Both make hundreds of thousands of small objects and almost no cycles; with the
    defaults the collector took a tenth of the page phase and near half of the site phase."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BATCH_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


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
        self._checks: list[tuple[Check, list[RegisteredRule]]] = []
        # The io and page-verdict rules are the engine's own: they read files and findings, not pages.
        own = engine_checks()
        for registered in registry:
            if registered.check in own or (issubclass(registered.rule, SiteRule) and not site):
                continue
            if not self._checks or self._checks[-1][0] is not registered.check:
                self._checks.append((registered.check, []))
            self._checks[-1][1].append(registered)
        self._site_rules = [r for _, rules in self._checks for r in rules if issubclass(r.rule, SiteRule)]
        self._contexts: dict[str, Context] = {}
        # Rules declared as data may carry their own weight in the page verdict (a custom rule's `weight`).
        declared = {
            r.code: r.rule.weight for r in registry if issubclass(r.rule, DataRule) and r.rule.weight is not None
        }
        self.verdict_weights = verdict.weights().with_rules(declared)

    def audit_path(self, path: str) -> FileResult:
        return self.audit_source(PageSource(path))

    def audit_source(self, page: PageSource) -> FileResult:
        """The page phase for one page: its bytes (read from its file unless given), decoded, parsed, checked."""
        path = page.path
        fmt = page.fmt or format_of(path) or "markdown"
        if page.outside:
            # Neither read nor stat-ed here: the finding names the link, never its target.
            message = (
                f"{printable_path(path)} is a symbolic link to something outside the folder being audited, so it "
                "was not read; name it on the command line to audit it"
            )
            result = self._result(path, fmt, [_Note(diagnostics.LinkOutsideTree, message)])
            result.outside = True
            return result
        data = page.data
        size = len(data) if data is not None else 0
        if data is None:
            try:
                data, size = read_bytes(path, self.limits.max_file_size)
            except LoadError as exc:
                return self._unreadable(path, fmt, str(exc))
        return self._audit_bytes(path, data, size, fmt, page.charset)

    def audit_bytes(
        self, path: str, data: bytes, fmt: str, charset: str | None = None, size: int | None = None
    ) -> FileResult:
        """A page whose bytes are read; `size`: the file's size, when `data` is only its first part."""
        return self._audit_bytes(path, data, len(data) if size is None else size, fmt, charset)

    def _audit_bytes(self, path: str, data: bytes, size: int, fmt: str, charset: str | None) -> FileResult:
        notes: list[_Note] = []
        if not data:
            empty = _Note(diagnostics.EmptyFile, "the file is empty (0 bytes): nothing to audit")
            return self._result(path, fmt, [empty])
        limit = self.limits.max_file_size
        if limit and len(data) > limit:
            data = cut_bytes(data, limit)
            notes.append(
                _Note(
                    diagnostics.FileTooLarge,
                    f"the file is {size:,} bytes, over max-file-size ({limit:,}); only its first {len(data):,} "
                    "bytes were audited",
                )
            )
        try:
            decoded = decode_text(data, fmt, charset)
        except LoadError as exc:
            return self._unreadable(path, fmt, str(exc))
        if decoded.problem:
            notes.append(_Note(diagnostics.EncodingProblem, f"the file {decoded.problem}", decoded.problem_line))
        return self._audit(path, decoded.text, fmt, notes)

    def audit_text(self, path: str, source: str, fmt: str) -> FileResult:
        return self._audit(path, source, fmt, [])

    def _audit(self, path: str, source: str, fmt: str, notes: list[_Note]) -> FileResult:
        shown = printable_path(path)
        if shown != path:
            notes.append(_Note(diagnostics.InvalidFileName, _BAD_NAME))
        selected = self.config.rules_for(path)
        text = PageText(PageText.lines_of(source)) if self.keep_text else None
        try:
            # Parsers have their own slow cases (markdown-it on a page of unclosed "[x]("):
            # they get the same time limit as a check.
            with time_limit(self.limits.check_timeout):
                page, front = parse_page(shown, source, fmt, self.limits.max_depth)
        except Exception as exc:  # a parser bug or a resource limit must not stop the run
            failure = f"the {fmt} parser failed: {_describe(exc)}; the page was not audited"
            notes.append(_Note(diagnostics.InternalError, failure))
            return self._result(path, fmt, notes, text)
        except TimeLimitExceeded:
            limit = self.limits.check_timeout
            failure = f"the {fmt} parser ran past check-timeout ({limit:g} s) and was stopped; the page was not audited"
            notes.append(_Note(diagnostics.InternalError, failure))
            return self._result(path, fmt, notes, text)
        if front.error:
            notes.append(_Note(diagnostics.InvalidFrontMatter, front.error))
        notes.extend(_Note(diagnostics.NestingTooDeep, f"the page {cut}") for cut in page.cut)
        try:
            # The shared text analysis (words of every block; jieba's dictionary, loaded on first
            # use, in a second or two) is done before the checks, outside their time limits.
            for block in page.prose:
                _ = block.words
        except Exception as exc:  # a bug in it must not stop the run
            failure = f"text analysis failed: {_describe(exc)}; the page was not audited"
            notes.append(_Note(diagnostics.InternalError, failure))
            return self._result(path, fmt, notes, text)
        findings = self._findings(path, notes, selected)
        result = FileResult(shown, fmt, page.language, text=text)
        if text is not None:
            text.add_page(page, self._density(page))
        for check, rules in self._checks:
            chosen = [r for r in rules if r.code in selected]
            if chosen:
                findings.extend(self._run_check(check, chosen, page, result, selected))
        hidden = suppression.parse(source, page.front_matter, self.registry.resolve)
        result.findings = self._within_limit(sorted(hidden.apply(findings), key=Finding.sort_key), path, selected)
        if verdict.CODE in selected:
            severity = self.config.severities.get(verdict.CODE) or verdict.ReadsAsPromotion.default_severity
            if self.site:
                # Judged in `finish`, once the site rules have added their evidence.
                result.verdict_due = severity
            else:
                _add_verdict(result, severity, hidden, self.verdict_weights)
        if result.signatures or result.verdict_due:
            result.suppressions = hidden
        if not self.site:
            _keep_lines(result)  # no site finding is to come
        return result

    def _density(self, page: Page) -> Density | None:
        """The page's term density, from the first rule that grades one (KS101), for the HTML report."""
        for _, rules in self._checks:
            for registered in rules:
                found = registered.rule().density(page, self._context(registered))
                if found is not None:
                    return found
        return None

    def _run_check(
        self, check: Check, rules: list[RegisteredRule], page: Page, result: FileResult, selected: frozenset[str]
    ) -> list[Finding]:
        """The findings of one check's rules on a page (and their site signatures, into `result`).

        The check gets `check-timeout` seconds for the page. A rule that raises
        loses its findings on this page, the check's other rules still run; a
        check out of time is stopped. Either way one IO006 finding says so.
        """
        findings: list[Finding] = []
        failures: list[str] = []
        running = rules[0]
        try:
            with time_limit(self.limits.check_timeout):
                for running in rules:
                    try:
                        if issubclass(running.rule, SiteRule):
                            signature = running.rule().signature(page, self._context(running))
                            if signature is not None:
                                result.signatures[running.code] = signature
                        else:
                            findings.extend(list(self._run_rule(running, page)))
                    except Exception as exc:  # a broken check must not stop the run
                        failures.append(f"{running.code} ({running.name}) raised {_describe(exc)}")
        except TimeLimitExceeded:
            failures.append(
                f"it ran past check-timeout ({self.limits.check_timeout:g} s) in {running.code} ({running.name}) "
                "and was stopped"
            )
        if failures:
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            message = f"check '{check.name}' failed on this page: {failures[0]}{more}; its findings here are missing"
            findings.extend(self._findings(page.path, [_Note(diagnostics.InternalError, message)], selected))
        return findings

    def _within_limit(self, findings: list[Finding], path: str, selected: frozenset[str]) -> list[Finding]:
        """At most `max-findings-per-file` findings, the most severe kept; the cut ones are counted by IO005.

        The io findings about the page itself are always kept, beyond the limit.
        """
        limit = self.limits.max_findings_per_file
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
        cut = self._findings(path, [_Note(diagnostics.FindingsCut, message)], selected)
        return sorted(kept + cut, key=Finding.sort_key)

    def audit_site(self, results: list[FileResult]) -> None:
        """The site phase in this process: the site rules' chain of group-bys over all pages.

        The same map/reduce steps a distributed engine runs (`site_keys`,
        `site_reduce`, `finish`), with each group-by a dict. Site findings
        join the findings of their pages, which stay sorted; the signatures
        are dropped afterwards, since nothing else needs them. A site rule
        that raises loses its findings and is reported once, on the first
        page that had its signature.
        """
        with batch_collector():
            self._audit_site(results)

    def _audit_site(self, results: list[FileResult]) -> None:
        found: dict[str, list[Finding]] = defaultdict(list)
        carried: list[SiteRecord] = []
        broken: dict[str, str] = {}
        for step in range(self.site_steps):
            groups: dict[tuple[str, Hashable], list[Any]] = defaultdict(list)
            for registered in self._site_rules:
                try:
                    for result in results:
                        for key, value in self._keys(registered, result, step):
                            groups[registered.code, key].append(value)
                except Exception as exc:  # a broken site rule must not stop the run
                    broken[registered.code] = _describe(exc)
            for code, key, value in carried:
                groups[code, key].append(value)
            carried = []
            for (code, key), values in groups.items():
                if code in broken:
                    continue
                try:
                    records, findings = self.site_reduce(code, step, key, values)
                except Exception as exc:  # a broken site rule must not stop the run
                    broken[code] = _describe(exc)
                    continue
                carried.extend(records)
                for path, finding in findings:
                    found[path].append(finding)
        for code, reason in sorted(broken.items()):
            self._site_failure(code, reason, results, found)
        for result in results:
            self.finish(result, found.get(result.path, ()))

    def _site_failure(self, code: str, reason: str, results: list[FileResult], found: dict[str, list[Finding]]) -> None:
        """One IO006 finding for a site rule that raised, in place of all its findings."""
        for path in found:
            found[path] = [f for f in found[path] if f.rule != code]
        first = min((r.path for r in results if code in r.signatures), default=None)
        if first is None:
            return
        registered = self.registry.rules[code]
        message = (
            f"check '{registered.check.name}' failed across the site: {code} ({registered.name}) "
            f"raised {reason}; its findings for every page are missing"
        )
        note = _Note(diagnostics.InternalError, message)
        found[first].extend(self._findings(first, [note], self.config.rules_for(first)))

    @property
    def site_steps(self) -> int:
        """How many group-bys the site phase takes: the longest chain of the site rules run."""
        return max((registered.rule.steps for registered in self._site_rules), default=0)

    def site_keys(self, result: FileResult, step: int) -> list[SiteRecord]:
        """What a page sends into group-by `step` of the site phase: `(rule code, key, value)` records."""
        return [
            (registered.code, key, value)
            for registered in self._site_rules
            for key, value in self._keys(registered, result, step)
        ]

    def _keys(self, registered: RegisteredRule, result: FileResult, step: int) -> Iterable[tuple[Hashable, Any]]:
        signature = result.signatures.get(registered.code)
        if signature is None or step >= registered.rule.steps:
            return ()
        rule = registered.rule()
        assert isinstance(rule, SiteRule)
        return list(rule.keys(step, result.path, signature, self._context(registered)))

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

    def finish(self, result: FileResult, site_findings: Iterable[Finding]) -> FileResult:
        """A page's result with its site findings, minus those its disable comments hide, sorted."""
        hidden = result.suppressions
        kept = [f for f in site_findings if hidden is None or not hidden.hides(f)]
        # The order site findings arrive in depends on the engine; sort them on every field first.
        kept.sort(key=lambda f: (*f.sort_key(), f.evidence, f.severity.rank, f.end_line, f.end_column))
        result.findings.extend(kept)
        if result.verdict_due is not None:
            _add_verdict(result, result.verdict_due, hidden, self.verdict_weights)
            result.verdict_due = None
        result.findings.sort(key=Finding.sort_key)
        result.signatures.clear()
        result.suppressions = None
        _keep_lines(result)
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
            spans=hit.spans,
            member=hit.member,
        )

    def _findings(self, path: str, notes: Iterable[_Note], selected: frozenset[str]) -> list[Finding]:
        """The io findings of `notes` whose rules are selected for the page."""
        shown = printable_path(path)
        return [
            self._finding(self.registry.rules[note.rule.code], shown, Hit(note.line, 1, note.message))
            for note in notes
            if note.rule.code in selected
        ]

    def _result(self, path: str, fmt: str, notes: list[_Note], text: PageText | None = None) -> FileResult:
        """The result of a page that was not audited, holding only its io findings."""
        shown = printable_path(path)
        if shown != path:
            notes.append(_Note(diagnostics.InvalidFileName, _BAD_NAME))
        result = FileResult(shown, fmt, "und", self._findings(path, notes, self.config.rules_for(path)), text=text)
        _keep_lines(result)
        return result

    def _unreadable(self, path: str, fmt: str, reason: str) -> FileResult:
        message = f"{printable_path(path)} {reason}; it was not audited"
        return self._result(path, fmt, [_Note(diagnostics.UnreadableFile, message)])


def _keep_lines(result: FileResult) -> None:
    """Cut the kept text's lines down to those the findings point at, once all findings are in."""
    if result.text is not None:
        result.text.keep_lines(n for f in result.findings for n in (f.line, f.end_line))


def _add_verdict(
    result: FileResult, severity: Severity, hidden: suppression.Suppressions | None, table: verdict.Weights
) -> None:
    """The page's PV501 finding, when its findings reach the threshold and no disable comment hides it."""
    judged = verdict.verdict(result.findings, result.path, severity, table)
    if judged is not None and (hidden is None or not hidden.hides(judged)):
        result.findings.append(judged)
        result.findings.sort(key=Finding.sort_key)


def _describe(exc: BaseException) -> str:
    """An exception in one line, its message cut short: `ValueError: bad value`."""
    text = " ".join(str(exc).split())
    if len(text) > _ERROR_QUOTE:
        text = text[:_ERROR_QUOTE] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
