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
A use that holds a term of the config's `allow-terms` is not counted.

Phrases that fit any page (stock openings and closings) are counted another way:

    in = "paragraphs"     # count in paragraphs, list items and quotes of 3 words or more, not the whole body
    distinct = true       # count each phrase once, however often it is used
    by-language = true    # each block is read with the list of its language (`tokens.zh`, `tokens.en`)
    opening = ["to begin with"]    # counted only in the title and the first `edge_paragraphs` paragraphs
    closing = ["in conclusion"]    # counted only in the last `edge_paragraphs` paragraphs
    grading = { edge_paragraphs = 3, warning_phrases = 2, error_phrases = 3 }

With `grading` (instead of `max`), one phrase is information, `warning_phrases`
a warning, and an error needs the page's ends: `error_phrases` with both the
opening and the closing holding some, or one more with either. The grading's
numbers are the rule's options (`[rules.CODE]`). `{count}` is the number of
uses (distinct phrases with `distinct`), `{s}` "s" when it is not 1, `{places}`
where they stand ("body, closing, opening"), and with `distinct` the evidence
lists each phrase, its place and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from auditor.kinds.base import DataRule, RuleError, grading_options, locate, tokens
from auditor.models import Block, Page, Severity, spans
from auditor.registry import Context, Hit
from auditor.text.matching import Match, PhraseMatcher

KEYS = frozenset({"tokens", "max", "max-share", "in", "distinct", "by-language", "opening", "closing", "grading"})
LISTS = frozenset({"tokens", "opening", "closing"})  # word lists, which may be given as files too
GRADING = ("edge_paragraphs", "warning_phrases", "error_phrases")
_PLACES = (("tokens", "body"), ("opening", "opening"), ("closing", "closing"))
_PARAGRAPHS = ("paragraph", "list_item", "quote")
_OTHER = "en"  # the list read in a block of a language no list is given for
_NONE = PhraseMatcher(())


@dataclass(frozen=True)
class _Use:
    block: Block
    match: Match
    place: str  # "body", "opening" or "closing"


class OccurrenceRule(DataRule):
    # list name -> language ("" without by-language) -> matcher
    lists: ClassVar[Mapping[str, Mapping[str, PhraseMatcher]]]
    most: ClassVar[int | None]
    most_share: ClassVar[float | None]
    paragraphs: ClassVar[bool]
    distinct: ClassVar[bool]
    grading: ClassVar[bool]

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        allowed = [t.lower() for t in context.allow_terms]
        found = [u for u in self._uses(page, context) if not any(t in u.match.text.lower() for t in allowed)]
        if self.distinct:
            first_uses: dict[str, _Use] = {}
            for use in found:
                first_uses.setdefault(use.match.entry.lower(), use)
            found = list(first_uses.values())
        if not found:
            return
        count = len(found)
        # Words are counted only for a rule that needs them: they are a pass over the whole page.
        words = 0
        if self.most_share is not None or "{share}" in self.message:
            words = sum(1 for w in page.words if any(c.isalnum() for c in w.text))  # punctuation is no word
        share = f"{count / words:.1%}" if words else "0%"
        places = {u.place for u in found}
        severity = self._grade(count, places, context.options) if self.grading else None
        if not self.grading:
            over_count = self.most is not None and count > self.most
            over_share = self.most_share is not None and words > 0 and count / words > self.most_share
            if not (over_count or over_share):
                return
        first = found[0]
        line, column, end_line, end_column = locate(page, first.block, first.match)
        if self.distinct:
            evidence = "; ".join(f"‘{u.match.text}’ ({u.place}, line {u.block.line})" for u in found)
        else:
            evidence = first.match.text
        message = self.say(
            match=first.match.text,
            count=str(count),
            share=share,
            s="" if count == 1 else "s",
            places=", ".join(sorted(places)),
        )
        marks = spans(*(page.span(u.block, u.match.start, u.match.end, "phrase", u.match.text) for u in found))
        yield Hit(line, column, message, evidence, end_line, end_column, severity, spans=marks)

    def _uses(self, page: Page, context: Context) -> Iterator[_Use]:
        """Each use of a listed phrase, block by block, in the places its list counts in."""
        if not self.paragraphs:
            for block in page.body:
                for match in self._matcher("tokens", block, page).finditer(block.text):
                    yield _Use(block, match, "body")
            return
        # A line holding only a link or an image is no paragraph.
        blocks = [b for b in page.body if b.kind in _PARAGRAPHS and len(b.words) >= 3]
        edge = context.options.get("edge_paragraphs", 0)
        opening = {id(b) for b in blocks[:edge]}
        closing = {id(b) for b in blocks[-edge:]} if edge else set()
        title = page.title_block
        if title is not None and "opening" in self.lists:  # headline clichés open the page too
            opening.add(id(title))
            blocks.insert(0, title)
        for block in blocks:
            for name, place in _PLACES:
                if name in self.lists and (
                    place == "body" or id(block) in (opening if place == "opening" else closing)
                ):
                    for match in self._matcher(name, block, page).finditer(block.text):
                        yield _Use(block, match, place)

    def _matcher(self, name: str, block: Block, page: Page) -> PhraseMatcher:
        by_language = self.lists[name]
        if "" in by_language:
            return by_language[""]
        language = block.language if block.language != "und" else page.language
        return by_language.get(language if language in by_language else _OTHER, _NONE)

    @staticmethod
    def _grade(count: int, places: set[str], options: Mapping[str, Any]) -> Severity:
        both_ends = {"opening", "closing"} <= places
        at_an_end = bool(places & {"opening", "closing"})
        error_at = options["error_phrases"]
        # Filler alone is style; stock lines framing the page at both ends, or one
        # more phrase than that at one end, is a template.
        if (count >= error_at and both_ends) or (count > error_at and at_an_end):
            return Severity.ERROR
        return Severity.WARNING if count >= options["warning_phrases"] else Severity.INFO


def _flag(definition: Mapping[str, Any], key: str, where: str) -> bool:
    value = definition.get(key, False)
    if not isinstance(value, bool):
        raise RuleError(f"{where}: {key} must be true or false")
    return value


def _lists(definition: Mapping[str, Any], where: str, by_language: bool) -> dict[str, dict[str, PhraseMatcher]]:
    lists: dict[str, dict[str, PhraseMatcher]] = {}
    for name, _ in _PLACES:
        if name not in definition:
            continue
        value = definition[name]
        if not by_language:
            lists[name] = {"": PhraseMatcher(tokens(definition, name, where))}
        elif isinstance(value, Mapping):
            lists[name] = {
                lang: PhraseMatcher(tokens(value, lang, f"{where} {name}", required=False)) for lang in value
            }
        else:
            raise RuleError(f"{where}: with by-language, {name} must be a table of lists by language")
    if "tokens" not in lists:
        raise RuleError(f"{where}: tokens must list at least one word or phrase")
    return lists


def build(definition: Mapping[str, Any], where: str) -> type[DataRule]:
    most = definition.get("max")
    share = definition.get("max-share")
    grading = definition.get("grading")
    if grading is None and most is None and share is None:
        raise RuleError(f"{where}: an occurrence rule needs max, max-share or both (or grading)")
    if grading is not None and (most is not None or share is not None):
        raise RuleError(f"{where}: give grading or max and max-share, not both")
    if most is not None and (isinstance(most, bool) or not isinstance(most, int) or most < 0):
        raise RuleError(f"{where}: max must be a whole number, 0 or more")
    if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1):
        raise RuleError(f"{where}: max-share must be a number from 0 to 1")
    options = grading_options(grading, GRADING, where)
    region = definition.get("in", "body")
    if region not in ("body", "paragraphs"):
        raise RuleError(f"{where}: in must be body or paragraphs")
    if region == "body" and ("opening" in definition or "closing" in definition):
        raise RuleError(f'{where}: opening and closing lists need in = "paragraphs"')
    if ("opening" in definition or "closing" in definition) and grading is None:
        raise RuleError(f"{where}: opening and closing lists need grading (its edge_paragraphs)")
    attributes: dict[str, Any] = {
        "lists": _lists(definition, where, _flag(definition, "by-language", where)),
        "most": most,
        "most_share": share,
        "paragraphs": region == "paragraphs",
        "distinct": _flag(definition, "distinct", where),
        "grading": grading is not None,
        "options": options,
    }
    return type("OccurrenceKind", (OccurrenceRule,), attributes)
