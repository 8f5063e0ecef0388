"""XP101's cases, run by the harness auditor ships for plugin authors."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.testing import Case, check_case, load_cases

CASES = load_cases(Path(__file__).parent / "rules")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_case(case: Case) -> None:
    check_case(case)
