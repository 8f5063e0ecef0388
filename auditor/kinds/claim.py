"""claim: phrases that need a source nearby, reported where nothing backs them.

    [[custom-rules]]
    code = "XX103"
    name = "unsourced-cure"
    kind = "claim"
    message = "‘{match}’ with no source near it; cite the study"
    tokens.en = ["clinically proven", "cures"]
    tokens.zh = ["临床证明"]
    figures = true     # a measured figure in the sentence ("40%", "3 times") counts as support

Support is the unverifiable-claims check's: a link to a source in the same
block (not an image, not a seller's link), a footnote or numbered citation,
or "according to …" in the claim's sentence or the next one. One finding per
sentence, at its first phrase.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from auditor import text
from auditor.checks.unverifiable_claims.claims import cited, figure_besides, has_source_link
from auditor.kinds.base import DataRule, RuleError, locate, tokens
from auditor.matching import PhraseMatcher
from auditor.models import Page
from auditor.registry import Context, Hit

KEYS = frozenset({"tokens", "figures"})


class ClaimRule(DataRule):
    matcher: ClassVar[PhraseMatcher]
    figures: ClassVar[bool]

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        allowed = {t.lower() for t in context.allow_terms}
        for block in page.prose:
            body = block.text
            if not self.matcher.may_match(body) or has_source_link(page, block):
                continue
            spans = text.sentences(body)
            for index, (start, end) in enumerate(spans):
                sentence = body[start:end]
                matches = [m for m in self.matcher.finditer(sentence) if m.text.lower() not in allowed]
                if not matches:
                    continue
                after = body[slice(*spans[index + 1])] if index + 1 < len(spans) else ""
                if cited(sentence + " " + after):
                    continue
                if self.figures and figure_besides(sentence, [(m.start, m.end) for m in matches]):
                    continue
                first = matches[0]
                located = first._replace(start=first.start + start, end=first.end + start)
                line, column, end_line, end_column = locate(page, block, located)
                yield Hit(line, column, self.say(match=first.text), " ".join(sentence.split()), end_line, end_column)


def build(definition: Mapping[str, Any], where: str) -> type[DataRule]:
    figures = definition.get("figures", True)
    if not isinstance(figures, bool):
        raise RuleError(f"{where}: figures must be true or false")
    matcher = PhraseMatcher(tokens(definition, "tokens", where))
    return type("ClaimKind", (ClaimRule,), {"matcher": matcher, "figures": figures})
