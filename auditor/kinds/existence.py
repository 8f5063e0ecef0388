"""existence: a word or phrase from a list, reported at each occurrence in the page's prose.

    [[custom-rules]]
    code = "XX101"
    name = "no-miracle-words"
    kind = "existence"
    message = "‘{match}’ promises too much; say what the product does"
    tokens.en = ["miracle cure", "overnight success"]
    tokens.zh = ["神药"]

Matching is the word-list matcher's (`auditor.text.matching`): case-insensitive,
on word boundaries for Latin words. Code blocks are not prose and are not
read. `{match}` in the message is the phrase as written on the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from auditor.kinds.base import DataRule, locate, tokens
from auditor.models import Page, spans
from auditor.registry import Context, Hit
from auditor.text.matching import PhraseMatcher

KEYS = frozenset({"tokens"})
LISTS = frozenset({"tokens"})  # word lists, which may be given as files too


class ExistenceRule(DataRule):
    matcher: ClassVar[PhraseMatcher]

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        allowed = {t.lower() for t in context.allow_terms}
        for block in page.prose:
            if not self.matcher.may_match(block.text):
                continue
            for match in self.matcher.finditer(block.text):
                if match.text.lower() in allowed:
                    continue
                line, column, end_line, end_column = locate(page, block, match)
                mark = spans(page.span(block, match.start, match.end, "phrase", match.text))
                yield Hit(line, column, self.say(match=match.text), match.text, end_line, end_column, spans=mark)


def build(definition: Mapping[str, Any], where: str) -> type[DataRule]:
    matcher = PhraseMatcher(tokens(definition, "tokens", where))
    return type("ExistenceKind", (ExistenceRule,), {"matcher": matcher})
