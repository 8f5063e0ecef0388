"""placeholder: text a writer meant to replace, left in a page about to be published."""

from __future__ import annotations

import re
from collections.abc import Iterable

from auditor.sdk import Check, Context, Hit, Page, Rule, Severity

# Filler and notes-to-self; in prose only, so a code sample showing "TODO" is left alone.
_PLACEHOLDER = re.compile(r"\blorem ipsum\b|\bTODO:|\bTBD\b|\[insert [^\]]{1,40}\]", re.IGNORECASE)


class PlaceholderText(Rule):
    """Placeholder text ("lorem ipsum", "TODO:", "[insert …]") left in the prose.

    **What it catches**
    Filler and notes-to-self a writer meant to replace before publishing:
    `lorem ipsum`, `TODO:`, `TBD`, `[insert product name]`.

    **Why it matters**
    Readers take a page with placeholders for an unfinished draft, and so do
    search engines.

    **Example**
    `Our plan costs [insert price] a month. TODO: add the table.`

    **Better**
    `Our plan costs 4 EUR a month.`, and the table.

    **Silence it**
    `<!-- auditor-disable-next-line XP101 -->` above the line.
    """

    code = "XP101"
    name = "placeholder-text"
    default_severity = Severity.WARNING

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        for block in page.prose:
            for found in _PLACEHOLDER.finditer(block.text):
                line, column, end_line, end_column = page.locate(block, found.group())
                yield Hit(
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                    message=f"placeholder ‘{found.group()}’ left in the text; write the real content",
                    evidence=block.text[:120],
                )


CHECK = Check(
    name="placeholder",
    prefix="XP",
    rules=(PlaceholderText,),
    description="Placeholder text left in a published page.",
    version="1",
)
