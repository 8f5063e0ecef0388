"""A third-party check that reuses a built-in code, for tests only: registration must refuse it.

tests/test_plugin_validation.py installs it through a real `auditor.checks`
entry point (a dist-info folder on PYTHONPATH), as a plugin package would be.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.sdk import Check, Context, Hit, Page, Rule


class Shadow(Rule):
    """Would replace the built-in KS101 if registration let it.

    **What it catches** / **Why it matters** / **Example** / **Better**: nothing; it is refused.
    """

    code = "KS101"
    name = "shadow-term-density"

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        return ()


SHADOWING = Check(name="shadowing-plugin", prefix="KS", rules=(Shadow,))
