"""occurrence: a term used more than a limit on a page, as a count (`max`) or a share of its words (`max-share`).

    [[custom-rules]]
    code = "XX102"
    name = "brand-overuse"
    kind = "occurrence"
    message = "‘{match}’ appears {count} times; once or twice reads as information"
    tokens = ["Heyon", "Heyon卡"]
    max = 5              # more than 5 uses is reported
    max-share = 0.03     # or more than 3% of the page's words

One finding per page, at the first use. Only the page's body is counted
(not its title or description, not code). Either limit may be left out, not both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from auditor.kinds.base import DataRule, RuleError, locate, tokens
from auditor.matching import Match, PhraseMatcher
from auditor.models import Block, Page
from auditor.registry import Context, Hit

KEYS = frozenset({"tokens", "max", "max-share"})
LISTS = frozenset({"tokens"})  # word lists, which may be given as files too


class OccurrenceRule(DataRule):
    matcher: ClassVar[PhraseMatcher]
    most: ClassVar[int | None]
    most_share: ClassVar[float | None]

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        found: list[tuple[Block, Match]] = [
            (block, match) for block in page.body for match in self.matcher.finditer(block.text)
        ]
        count = len(found)
        words = sum(1 for w in page.words if any(c.isalnum() for c in w.text))  # punctuation is no word
        over_count = self.most is not None and count > self.most
        over_share = self.most_share is not None and words > 0 and count / words > self.most_share
        if not found or not (over_count or over_share):
            return
        block, first = found[0]
        line, column, end_line, end_column = locate(page, block, first)
        share = f"{count / words:.1%}" if words else "0%"
        yield Hit(
            line, column, self.say(match=first.text, count=str(count), share=share), first.text, end_line, end_column
        )


def build(definition: Mapping[str, Any], where: str) -> type[DataRule]:
    most = definition.get("max")
    share = definition.get("max-share")
    if most is None and share is None:
        raise RuleError(f"{where}: an occurrence rule needs max, max-share or both")
    if most is not None and (isinstance(most, bool) or not isinstance(most, int) or most < 0):
        raise RuleError(f"{where}: max must be a whole number, 0 or more")
    if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1):
        raise RuleError(f"{where}: max-share must be a number from 0 to 1")
    matcher = PhraseMatcher(tokens(definition, "tokens", where))
    return type("OccurrenceKind", (OccurrenceRule,), {"matcher": matcher, "most": most, "most_share": share})
