"""The check API and the registry of checks.

A *check* is a family of rules sharing a code prefix (`KS`, `TS`, …). Each
rule is a class with its code, name, default severity and options as plain
attributes, and its documentation as the docstring, under fixed headings:

    One line: what the rule reports.

    **What it catches** / **Why it matters** / **Example** / **Better** /
    **Options** / **Silence it**

`Rule.check(page, context)` yields Hits; the engine turns them into
Findings. A hit may carry its own severity when the rule grades its evidence
(a single weak cue is a warning, the same cue repeated or combined an error);
a severity set in the config wins over both.

Checks, built-in or third-party, are found through the entry-point group
`auditor.checks`; each entry point names a `Check` object.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, entry_points, metadata
from pathlib import Path
from typing import Any, ClassVar

from auditor import __version__
from auditor.models import Density, Page, Severity, Span

ENTRY_POINT_GROUP = "auditor.checks"
CODE_PATTERN = re.compile(r"^[A-Z]{2,3}[0-9]{3}$")
DOC_HEADINGS = ("**What it catches**", "**Why it matters**", "**Example**", "**Better**")


@dataclass(frozen=True)
class Hit:
    """What a rule reports; the engine adds the rule's identity and the path."""

    line: int
    column: int
    message: str
    evidence: str = ""
    end_line: int | None = None
    end_column: int | None = None
    severity: Severity | None = None
    # A site rule's group: pages reported with the same group share one skeleton,
    # destination or set of near-copies (the HTML report shows them together).
    group: str = ""
    # The pieces of the page's text the hit rests on (`Page.span` makes them), for reports to mark.
    spans: tuple[Span, ...] = ()
    # For site rules: what sets this page apart within its group (its keyword, its link text, its
    # nearest copy), for reports that list a group's pages; not part of the JSON output.
    member: str = ""


@dataclass(frozen=True)
class Context:
    """What a rule may read besides the page: its options and the user's term lists."""

    options: Mapping[str, Any] = field(default_factory=dict)
    watch_terms: tuple[str, ...] = ()
    allow_terms: tuple[str, ...] = ()


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity] = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {}

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        raise NotImplementedError

    def density(self, page: Page, context: Context) -> Density | None:
        """The page's term density as this rule grades it, for the HTML report's chart: None for
        every rule but one that grades terms by their share of the page (KS101)."""
        return None

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.docs().split("\n", 1)[0]


class SiteRule(Rule):
    """A rule that looks across all the pages of a run (a site), as a chain of group-bys.

    `signature(page, context)` runs where the page is parsed (a worker) and
    reduces it to a small picklable value, a few KB at most; it returns None
    when the page has nothing for this rule. The rest is map/reduce, so any
    engine can run it, in one process or on a cluster:

    - `keys(step, path, signature, context)` maps a page's signature to the
      records `(key, value)` it sends into group-by number `step` (0 first);
    - `reduce(step, key, values, context)` gets one group (every value sent
      under `key`, in no particular order) and yields `(key, value)` records
      for group-by `step + 1`, or, in the last step (`steps - 1`), the
      `(path, Hit)` pairs the rule reports.

    Keys and values must be picklable, and keys hashable and the same in
    every process (no `hash()` of a str). Nothing may compare all pairs of
    pages: group by a key, or band MinHash signatures, so the cost grows with
    the number of pages, not its square. Site rules run only when a run
    audits more than one page.
    """

    steps: ClassVar[int] = 1  # group-bys in the chain
    # How a report presents the rule's groups (`Hit.group`): the heading over them (default: the
    # rule's summary) and the words before each group's name ("skeleton ", "near-copies of ").
    group_title: ClassVar[str] = ""
    group_label: ClassVar[str] = ""

    @classmethod
    def group_name(cls, group: str) -> str:
        """A group as a reader says it; by default the group itself (a skeleton, a path)."""
        return group

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        return ()

    def signature(self, page: Page, context: Context) -> Any:
        raise NotImplementedError

    def keys(self, step: int, path: str, signature: Any, context: Context) -> Iterable[tuple[Hashable, Any]]:
        raise NotImplementedError

    def reduce(self, step: int, key: Hashable, values: list[Any], context: Context) -> Iterable[tuple[Any, Any]]:
        raise NotImplementedError


@dataclass(frozen=True)
class Check:
    name: str
    prefix: str
    rules: tuple[type[Rule], ...]
    description: str = ""
    version: str = "0"


@dataclass(frozen=True)
class RegisteredRule:
    rule: type[Rule]
    check: Check

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def name(self) -> str:
        return self.rule.name

    def explanation(self) -> str:
        """What `auditor explain` prints: the rule's identity, its documentation, its options' defaults."""
        rule = self.rule
        parts = [
            f"{rule.code} ({rule.name}), check {self.check.name}, default severity {rule.default_severity.value}",
            rule.docs(),
        ]
        if rule.options:
            parts.append("Defaults: " + ", ".join(f"{k.replace('_', '-')} = {v!r}" for k, v in rule.options.items()))
        return "\n\n".join(parts)


def engine_checks() -> tuple[Check, ...]:
    """The engine's own rules: io diagnostics and the page verdict, which read files and findings, not pages."""
    # Imported here: those modules define their rules with this module's Check and Rule.
    from auditor.engine import diagnostics, verdict

    return (diagnostics.CHECK, verdict.CHECK)


class Registry:
    """The checks of a run, with the engine's own always first: no registry lacks them."""

    def __init__(self, checks: Iterable[Check], providers: Mapping[str, tuple[str, str]] | None = None) -> None:
        own = engine_checks()
        self.checks = (*own, *(check for check in checks if check not in own))
        # check name -> (distribution, version) of the package whose entry point provided it
        self.providers = {check.name: ("auditor", __version__) for check in own} | dict(providers or {})
        self.rules: dict[str, RegisteredRule] = {}
        self._names: dict[str, str] = {}
        for check in self.checks:
            for rule in check.rules:
                registered = RegisteredRule(rule, check)
                self.rules[rule.code] = registered
                self._names[rule.name] = rule.code

    def __iter__(self) -> Iterator[RegisteredRule]:
        return iter(sorted(self.rules.values(), key=lambda r: r.code))

    def resolve(self, selector: str) -> list[str]:
        """Codes named by a selector: a code, a rule name, a check name or a code prefix ("KS", "KS1")."""
        selector = selector.strip()
        if selector in self.rules:
            return [selector]
        if selector in self._names:
            return [self._names[selector]]
        by_check = [r.code for r in self if r.check.name == selector]
        if by_check:
            return by_check
        upper = selector.upper()
        if upper == "ALL":
            return [r.code for r in self]
        return [code for code in sorted(self.rules) if upper and code.startswith(upper)]

    def extended(self, checks: Iterable[Check]) -> Registry:
        """This registry with more checks (a config's custom rules) after its own."""
        return Registry((*self.checks, *checks), self.providers)

    def provider(self, check_name: str) -> tuple[str, str]:
        """The distribution and version a check came from ("", "") when not known."""
        return self.providers.get(check_name, ("", ""))

    def find(self, name_or_code: str) -> RegisteredRule | None:
        code = name_or_code if name_or_code in self.rules else self._names.get(name_or_code, "")
        return self.rules.get(code)


@cache
def docs_url() -> str | None:
    """Where the rules are explained for a reader with a browser or an editor: the README's Rules section.

    The URL scheme is `<README>#rules`, the same for every rule (the README
    lists them all in one table; `auditor explain CODE` and the editor's hover
    give one rule's full text). <README> is the package's `Documentation`
    project URL when it declares one (`[project.urls]` in pyproject.toml), else
    the README of the source checkout the package runs from (the README's own
    `pip install -e` set-up), as a file URI; None when neither exists.
    """
    try:
        for entry in metadata("auditor").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() == "documentation" and url.strip():
                return url.strip().split("#", 1)[0] + "#rules"
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
        pass
    readme = Path(__file__).resolve().parents[1] / "README.md"
    return readme.as_uri() + "#rules" if readme.is_file() else None


class PluginError(Exception):
    """A check that cannot be registered: a malformed code or name, or one another check already uses."""


NAME_PATTERN = re.compile(r"^[a-z]+(-[a-z]+)*$")


def validate(checks: Iterable[tuple[str, Check]]) -> None:
    """Refuse checks whose rules clash or are malformed; `checks` pairs each with who provided it.

    Without this a plugin reusing `KS101` would silently replace the built-in rule.
    """
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for source, check in checks:
        for rule in check.rules:
            if not CODE_PATTERN.match(rule.code) or not rule.code.startswith(check.prefix):
                raise PluginError(f"{source}: rule code {rule.code!r} is malformed (want {check.prefix}NNN)")
            if not NAME_PATTERN.match(rule.name):
                raise PluginError(f"{source}: rule name {rule.name!r} is not kebab-case")
            if rule.code in codes:
                raise PluginError(f"{source}: rule code {rule.code} is already provided by {codes[rule.code]}")
            if rule.name in names:
                raise PluginError(f"{source}: rule name {rule.name!r} is already provided by {names[rule.name]}")
            codes[rule.code] = names[rule.name] = source


@cache
def default_registry() -> Registry:
    """The engine's own rules and every check installed under the `auditor.checks` entry-point group.

    A plugin that fails to load is reported on standard error and skipped,
    so one broken package does not stop the audit.
    """
    checks: list[Check] = []
    sources: list[tuple[str, Check]] = []
    providers: dict[str, tuple[str, str]] = {}
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            loaded = entry.load()
        except Exception as exc:  # a broken plugin must not stop the run
            print(f"auditor: skipping check {entry.name!r}: it failed to load: {exc}", file=sys.stderr)
            continue
        if not isinstance(loaded, Check):
            print(f"auditor: skipping {entry.name!r}: {entry.value} is not an auditor Check", file=sys.stderr)
            continue
        checks.append(loaded)
        dist = getattr(entry, "dist", None)
        if dist is not None:
            providers[loaded.name] = (str(dist.name), str(dist.version))
        sources.append((f"entry point {entry.name!r} of {dist.name if dist else 'an unknown package'}", loaded))
    validate([*(("the auditor engine", check) for check in engine_checks()), *sources])
    return Registry(checks, providers)


@cache
def _markdown_renderer():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    # Raw HTML in a rule's docstring (a plugin's) is escaped, and markdown-it refuses
    # javascript:, vbscript:, file: and data: links.
    return MarkdownIt("commonmark", {"html": False})


def rule_docs_html(docs: str) -> str:
    """A rule's documentation (`Rule.docs()`, Markdown) as HTML, for the HTML report: rendered here,
    beside the rules, so that no reporter needs a Markdown parser."""
    # The docstrings put a bold heading and its paragraph on consecutive lines; make each its own block.
    docs = re.sub(r"^(\*\*[^*\n]+\*\*)$", r"\n\1\n", docs, flags=re.M)
    return _markdown_renderer().render(docs)
