"""Every rule against its own cases, kept as data in tests/rules/<CODE>.yml.

Each case is a page and the exact findings of that rule it must give
(line and severity), as in sqlfluff's rule fixtures. A case may give the
`encoding` its page is saved in (default UTF-8) and `limits` (the fields of
`Limits`), for the io rules. A case of a site rule
gives `pages` (path: text), audited as one run, and its findings' paths. Meta-tests make sure
every rule has such cases and is documented and registered properly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from auditor.registry import CODE_PATTERN, DOC_HEADINGS, default_registry

from .conftest import audit_file, audit_site

RULES_DIR = Path(__file__).parent / "rules"
# Reported by the engine itself on what a page given as text cannot hold (a missing file,
# a failing check, a file name that is not UTF-8, a symlink out of the tree); tested in test_loading.py,
# test_hostile.py and test_symlinks.py.
ENGINE_RULES = {"IO001", "IO006", "IO009", "IO010"}


def _cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(RULES_DIR.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            cases.append((spec["rule"], case))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("code", "case"), CASES, ids=[f"{c}-{case['name']}" for c, case in CASES])
def test_rule_case(code: str, case: dict) -> None:
    if "pages" in case:  # a site rule: several pages audited as one run
        findings = audit_site(case["pages"])
        got = sorted((f.path, f.line, f.severity.value) for f in findings if f.rule == code)
        want = sorted((e["path"], e["line"], e["severity"]) for e in case["expect"])
    else:
        data = case["page"].encode(case.get("encoding", "utf-8"))
        findings = audit_file(data, case.get("format", "markdown"), case.get("limits"))
        got = sorted((f.line, f.severity.value) for f in findings if f.rule == code)
        want = sorted((e["line"], e["severity"]) for e in case["expect"])
    details = "\n".join(
        f"{f.line}:{f.column} {f.rule} {f.severity.value} {f.message} | {f.evidence}"
        for f in findings
        if f.rule == code
    )
    assert got == want, f"{code} {case['name']}: got\n{details}"


def test_every_rule_has_failing_and_passing_cases() -> None:
    by_rule: dict[str, list[dict]] = {}
    for code, case in CASES:
        by_rule.setdefault(code, []).append(case)
    for registered in default_registry():
        if registered.code in ENGINE_RULES:
            continue
        cases = by_rule.get(registered.code, [])
        assert any(c["expect"] for c in cases), f"{registered.code} has no failing case in tests/rules/"
        assert any(not c["expect"] for c in cases), f"{registered.code} has no passing case in tests/rules/"


def test_codes_and_names_are_well_formed_and_unique() -> None:
    registry = default_registry()
    names = [r.name for r in registry]
    assert len(names) == len(set(names))
    for registered in registry:
        assert CODE_PATTERN.match(registered.code), registered.code
        assert registered.code.startswith(registered.check.prefix), registered.code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", registered.name), registered.name


def test_every_rule_is_documented_under_the_fixed_headings() -> None:
    for registered in default_registry():
        docs = registered.rule.docs()
        assert docs.split("\n", 1)[0].strip(), f"{registered.code} has no summary line"
        for heading in DOC_HEADINGS:
            assert heading in docs, f"{registered.code} docstring lacks {heading}"


def test_the_four_content_checks_are_installed_with_two_rules_or_more() -> None:
    checks = {c.name: c for c in default_registry().checks}
    for name in ("keyword-stuffing", "templated-sections", "unverifiable-claims", "promo-links"):
        assert name in checks, f"{name} is not registered through the auditor.checks entry points"
        assert len(checks[name].rules) >= 2
