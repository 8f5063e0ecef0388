"""Rule cases kept as data: the harness the built-in checks are tested with, for plugin authors too.

A case file (YAML, one per rule, e.g. `tests/rules/XY101.yml`) gives a page
and the exact findings of that rule it must give, by line and severity, as
sqlfluff's rule fixtures do:

    rule: XY101
    cases:
      - name: placeholder-left-in-a-post
        page: |
          # Launch notes
          Lorem ipsum dolor sit amet.
        expect:
          - {line: 2, severity: warning}
      - name: the-phrase-in-a-code-block-is-not-prose
        format: markdown        # or html; markdown by default
        page: |
          ```
          lorem ipsum
          ```
        expect: []

A case may also give `encoding` (the page is saved in it; UTF-8 by default),
`limits` (fields of `auditor.config.Limits`), or, for a site rule, `pages`
(path: text) audited as one run, with each expected finding's `path`. Every
installed rule is selected, so a case sees its rule as a user would.

In a plugin's own tests:

    from pathlib import Path
    import pytest
    from auditor.testing import Case, check_case, load_cases

    CASES = load_cases(Path(__file__).parent / "rules")

    @pytest.mark.parametrize("case", CASES, ids=str)
    def test_rule_case(case: Case) -> None:
        check_case(case)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditor.config import Config, Limits
from auditor.engine.phases import Settings, build
from auditor.models import Finding
from auditor.registry import default_registry


@dataclass(frozen=True)
class Case:
    """One case of a rule's case file."""

    code: str
    spec: dict[str, Any]
    source: Path

    @property
    def name(self) -> str:
        return str(self.spec["name"])

    @property
    def expects_findings(self) -> bool:
        return bool(self.spec["expect"])

    def __str__(self) -> str:
        return f"{self.code}-{self.name}"


def load_cases(folder: Path) -> list[Case]:
    """Every case of the `*.yml` case files in `folder`, file by file in name order."""
    cases = []
    for path in sorted(folder.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases.extend(Case(spec["rule"], case, path) for case in spec["cases"])
    return cases


def audit_page(data: bytes, fmt: str = "markdown", limits: dict[str, float] | None = None) -> list[Finding]:
    """Findings for one page given as the bytes of its file, audited alone, every rule selected."""
    registry = default_registry()
    settings = Config(selected=frozenset(registry.rules), limits=Limits(**(limits or {})))
    name = "page.html" if fmt == "html" else "page.md"
    return build(Settings(settings, site=False), registry).audit_bytes(name, data, fmt).findings


def audit_pages(pages: dict[str, str], **config: Any) -> list[Finding]:
    """Findings for several pages (path: text) audited as one run, site rules included."""
    registry = default_registry()
    settings = Config(selected=frozenset(registry.rules), **config)
    auditor = build(Settings(settings, site=len(pages) > 1), registry)
    results = [
        auditor.audit_text(path, text, "html" if path.endswith((".html", ".htm")) else "markdown")
        for path, text in pages.items()
    ]
    auditor.audit_site(results)
    return [finding for result in results for finding in result.findings]


def check_case(case: Case) -> None:
    """Audit the case's page (or pages); AssertionError, listing what the rule found, if it differs."""
    spec = case.spec
    if "pages" in spec:
        findings = audit_pages(spec["pages"])
        got = sorted((f.path, f.line, f.severity.value) for f in findings if f.rule == case.code)
        want = sorted((e["path"], e["line"], e["severity"]) for e in spec["expect"])
    else:
        data = spec["page"].encode(spec.get("encoding", "utf-8"))
        findings = audit_page(data, spec.get("format", "markdown"), spec.get("limits"))
        got = sorted((f.line, f.severity.value) for f in findings if f.rule == case.code)
        want = sorted((e["line"], e["severity"]) for e in spec["expect"])
    if got != want:
        details = "\n".join(
            f"  {f.path}:{f.line}:{f.column} {f.severity.value} {f.message} | {f.evidence}"
            for f in findings
            if f.rule == case.code
        )
        raise AssertionError(f"{case} ({case.source.name}): expected {want}, got {got}\n{details or '  nothing'}")
