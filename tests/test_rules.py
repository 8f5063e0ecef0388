"""Every rule against its own cases, kept as data in tests/rules/<CODE>.yml.

The cases run through `auditor.testing`, the harness plugin authors use on
theirs (its docstring gives the format). Meta-tests make sure every rule has
such cases and is documented and registered properly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.registry import CODE_PATTERN, DOC_HEADINGS, default_registry
from auditor.testing import Case, check_case, load_cases

RULES_DIR = Path(__file__).parent / "rules"
# Reported by the engine itself on what a page given as text cannot hold (a missing file,
# a failing check, a file name that is not UTF-8, a symlink out of the tree); tested in test_loading.py,
# test_hostile.py and test_symlinks.py.
ENGINE_RULES = {"IO001", "IO006", "IO009", "IO010"}

CASES = load_cases(RULES_DIR)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_case(case: Case) -> None:
    check_case(case)


def test_every_rule_has_failing_and_passing_cases() -> None:
    by_rule: dict[str, list[Case]] = {}
    for case in CASES:
        by_rule.setdefault(case.code, []).append(case)
    for registered in default_registry():
        if registered.code in ENGINE_RULES:
            continue
        cases = by_rule.get(registered.code, [])
        assert any(c.expects_findings for c in cases), f"{registered.code} has no failing case in tests/rules/"
        assert any(not c.expects_findings for c in cases), f"{registered.code} has no passing case in tests/rules/"


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
