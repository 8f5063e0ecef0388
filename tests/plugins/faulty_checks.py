"""Third-party checks that misbehave, for tests only: one raises, one hangs, one hides the hang.

tests/test_faults.py installs them through a real `auditor.checks` entry point
(a dist-info folder on PYTHONPATH), as a plugin package would be installed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from auditor.models import Page, Severity
from auditor.registry import Check, Context, Hit, Rule, SiteRule


class Raises(Rule):
    """Raises on every page (a plugin bug).

    **What it catches** / **Why it matters** / **Example** / **Better**: nothing; it fails.
    """

    code = "ZR901"
    name = "always-raises"
    default_severity = Severity.WARNING

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        yield Hit(1, 1, "a finding made before the failure, which must not be reported")
        raise ZeroDivisionError("plugin bug on " + page.path)


class Hangs(Rule):
    """Loops forever on every page, and swallows ordinary exceptions while it does.

    **What it catches** / **Why it matters** / **Example** / **Better**: nothing; it hangs.
    """

    code = "ZH901"
    name = "always-hangs"
    default_severity = Severity.WARNING

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        while True:
            try:
                while True:
                    pass
            except Exception:  # a careless plugin: must not be able to swallow the time limit
                continue
        yield  # pragma: no cover - makes this a generator


class SiteRaises(SiteRule):
    """Fails across the site, after a harmless signature on each page.

    **What it catches** / **Why it matters** / **Example** / **Better**: nothing; it fails.
    """

    code = "ZS901"
    name = "site-raises"
    default_severity = Severity.WARNING

    def signature(self, page: Page, context: Context) -> Any:
        return len(page.source)

    def keys(self, step: int, path: str, signature: Any, context: Context) -> Iterable[tuple[Hashable, Any]]:
        yield "every page", path

    def reduce(self, step: int, key: Hashable, values: list[Any], context: Context) -> Iterable[tuple[str, Hit]]:
        raise KeyError("no such page")


RAISING = Check(name="raising-plugin", prefix="ZR", rules=(Raises,), description="Raises.")
HANGING = Check(name="hanging-plugin", prefix="ZH", rules=(Hangs,), description="Hangs.")
SITE_RAISING = Check(name="site-raising-plugin", prefix="ZS", rules=(SiteRaises,), description="Raises on a site.")
