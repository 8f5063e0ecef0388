from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from auditor.config import Config
from auditor.engine.auditor import Auditor
from auditor.models import Finding
from auditor.registry import default_registry

FIXTURES = Path(__file__).parent / "fixtures"

# Property-based tests: `ci` (the default) keeps their share of the suite small;
# `HYPOTHESIS_PROFILE=long pytest tests/test_properties.py --hypothesis-show-statistics`
# runs far more examples, by hand.
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("long", max_examples=8000, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def audit(source: str, fmt: str = "markdown", path: str | None = None, **config: object) -> list[Finding]:
    """Findings for one page given as text, with every rule selected unless `config` says otherwise."""
    registry = default_registry()
    settings = Config(selected=frozenset(registry.rules), **config)  # type: ignore[arg-type]
    name = path or ("page.html" if fmt == "html" else "page.md")
    return Auditor(registry, settings).audit_text(name, source, fmt).findings


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def insert_line_at_top(page: Path) -> None:
    """An unrelated edit above every finding: a comment line at the top of the page (after any front matter).

    A line of prose would be a related edit: above a page whose title is its
    first bold line it takes the title's place, and it changes word counts.
    """
    lines = page.read_text(encoding="utf-8").split("\n")
    start = lines.index("---", 1) + 1 if lines[0] == "---" else 0
    lines.insert(start, "<!-- reviewed by the editors: nothing to change above this line -->")
    page.write_text("\n".join(lines), encoding="utf-8")
