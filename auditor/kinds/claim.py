"""claim: phrases that need a source nearby, reported where nothing backs them.

    [[custom-rules]]
    code = "XX103"
    name = "unsourced-cure"
    kind = "claim"
    message = "‘{match}’ with no source near it; cite the study"
    tokens.en = ["clinically proven", "cures"]
    tokens.zh = ["临床证明"]
    figures = true     # a measured figure in the sentence ("40%", "3 times") counts as support
    exempt = ["cures nothing"]        # honest phrases: a claim phrase inside one is no claim
    support = ["trial registry"]      # more cues of a source, besides the kind's own
    group = "health"   # rules of one group read the page together and are graded together
    weak = ["cures"]   # phrases honest writing uses too: reported, never enough for an error
    grading = { error_claims = 3, error_kinds = 2, error_claims_with_title = 3, error_strong = 2 }

Support: a link to a source in the same block (not an image, not a seller's
link), a footnote or numbered citation, or a cue of a source ("according to
…", 数据来源; the kind's lists in `auditor/kinds/data/`, and the rule's
`support`) in the claim's sentence or the next one. One finding per sentence,
at its first phrase; `{match}` is that phrase, `{quoted}` every phrase of the
sentence quoted (‘a’, ‘b’), and the evidence is the sentence.

The rules of a `group` read each sentence once: a phrase inside a longer
phrase of another rule of the group counts once, for the longer, and a figure
anywhere in the sentence besides the claims is support for the rules with
`figures`. With `grading` a rule's findings are warnings until the page piles
up claims: `error_claims` distinct ones of `error_kinds` rules of the group
(or `error_claims_with_title` with one in the title or description), of which
`error_strong` are not `weak`, make every claim of the page an error, and
`{note}` in the message then says how many (it is empty otherwise). The
grading's numbers are the rule's options, to be set in `[rules.CODE]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar

from auditor import text
from auditor.kinds.base import DataRule, RuleError, grading_options, tokens
from auditor.models import Block, Link, Page, Severity, Span, spans
from auditor.registry import Context, Hit, Rule
from auditor.text import lexicon
from auditor.text.matching import Match, PhraseMatcher

KEYS = frozenset({"tokens", "figures", "exempt", "support", "group", "weak", "grading"})
LISTS = frozenset({"tokens", "exempt", "support", "weak"})
GRADING = ("error_claims", "error_kinds", "error_claims_with_title", "error_strong")

# A footnote or a numbered citation written after a claim: [^1], [^note], [3].
_CITATION = re.compile(r"\[\^[\w-]{1,20}\]|\[\d{1,3}\]")
# A measured figure: "30x", "2.5 million", "40%", "3 倍", "120 ms". A measured
# comparison or popularity figure is checkable; it is not support for a
# guarantee, where "100%" is the claim itself.
# It starts only where a run of digits and separators starts, so a long run with no
# unit after it is scanned once, not once from each of its digits.
_FIGURE = re.compile(
    r"(?<![\d,.])[,.]*\d[\d,.]*\s?(?:x|×|倍|times|%|million|billion|thousand|万|亿|ms|秒|seconds)(?![A-Za-z])",
    re.I,
)
_CLIP = 160  # characters of a claim's sentence kept as its evidence


@cache
def _own(name: str) -> tuple[str, ...]:
    """One of the kind's own word lists (`auditor/kinds/data/`), every language."""
    return lexicon.all_languages(__package__ or "auditor.kinds", name)


@cache
def _sellers() -> PhraseMatcher:
    return PhraseMatcher(_own("seller_urls"))


@dataclass(eq=False)  # compared and hashed by identity: it keys the page's memo
class Group:
    """The rules that read a page together, and what they share."""

    rules: tuple[type[ClaimRule], ...]
    anywhere: PhraseMatcher = field(init=False)  # every claim phrase of every rule, to skip text early
    exempt: PhraseMatcher = field(init=False)
    support: PhraseMatcher = field(init=False)
    weak: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.anywhere = PhraseMatcher(e for r in self.rules for e in r.matcher.entries)
        self.exempt = PhraseMatcher(e for r in self.rules for e in r.exempt)
        self.support = PhraseMatcher([*_own("support"), *(e for r in self.rules for e in r.support)])
        self.weak = frozenset(e.lower() for r in self.rules for e in r.weak)


@dataclass(frozen=True)
class Claim:
    rule: str  # the code of the rule whose phrases these are
    block: Block
    phrases: tuple[str, ...]  # the claim phrases found, as written on the page
    entries: tuple[str, ...]  # the list entries they matched, for counting distinct claims
    sentence: str
    in_title: bool  # made in the page's title or meta description
    start: int = 0  # where the sentence starts in the block's text


@dataclass(frozen=True)
class PageClaims:
    claims: tuple[Claim, ...]
    weak: frozenset[str]

    def of_rule(self, code: str) -> list[Claim]:
        return [c for c in self.claims if c.rule == code]

    @property
    def distinct(self) -> int:
        return len({(c.rule, e.lower()) for c in self.claims for e in c.entries})

    @property
    def strong(self) -> int:
        """Distinct claims in the wording of sales copy (not on the `weak` list)."""
        return len({(c.rule, e.lower()) for c in self.claims for e in c.entries if e.lower() not in self.weak})

    @property
    def rules(self) -> int:
        return len({c.rule for c in self.claims})

    @property
    def in_title(self) -> bool:
        return any(c.in_title for c in self.claims)


class ClaimRule(DataRule):
    matcher: ClassVar[PhraseMatcher]
    figures: ClassVar[bool]
    exempt: ClassVar[tuple[str, ...]]
    support: ClassVar[tuple[str, ...]]
    weak: ClassVar[tuple[str, ...]]
    group_name: ClassVar[str | None]
    grading: ClassVar[bool]
    group: ClassVar[Group]

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        found = page_claims(self.group, page, context.allow_terms)
        severity = _grade(found, context.options) if self.grading else None
        note = _page_note(found) if severity is Severity.ERROR else ""
        for claim in found.of_rule(self.code):
            # The first place the phrase is written from the block's line on, as the built-in rules have
            # always reported it (a repeat of the phrase later in the block is reported there too).
            line, column, end_line, end_column = page.locate(claim.block, claim.phrases[0])
            quoted = ", ".join(f"‘{p}’" for p in claim.phrases)
            yield Hit(
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                message=self.say(match=claim.phrases[0], quoted=quoted, note=note),
                evidence=_clip(claim.sentence),
                severity=severity,
                spans=spans(_sentence_span(page, claim)),
            )


def _sentence_span(page: Page, claim: Claim) -> Span | None:
    """The claim's sentence, without the white space around it."""
    sentence = claim.sentence
    start = claim.start + len(sentence) - len(sentence.lstrip())
    return page.span(claim.block, start, claim.start + len(sentence.rstrip()), "claim")


def page_claims(group: Group, page: Page, allow_terms: Sequence[str] = ()) -> PageClaims:
    """The page's unsupported claims of a group's rules, found once for all of them."""
    allowed = tuple(sorted(t.lower() for t in allow_terms))

    def find() -> PageClaims:
        claims = tuple(c for block in page.prose for c in _block_claims(group, page, block, allowed))
        return PageClaims(claims, group.weak)

    return page.memo((__name__, group, allowed), find)


def _block_claims(group: Group, page: Page, block: Block, allowed: tuple[str, ...]) -> list[Claim]:
    body = block.text
    # No claim phrase of any rule can be in the block (or, below, in a sentence): no closer look.
    if not group.anywhere.may_match(body):
        return []
    # A link to a source anywhere in the block backs every claim of the block.
    if any(_is_source(link) for link in page.links_in(block)):
        return []
    sentences = text.sentences(body)
    headline = block.kind in ("title", "description") or (block.kind == "heading" and block.text == page.title)
    claims: list[Claim] = []
    for index, (start, end) in enumerate(sentences):
        sentence = body[start:end]
        if not group.anywhere.may_match(sentence):
            continue
        by_rule = _claim_phrases(group, sentence, allowed)
        if not by_rule:
            continue
        # A source may follow the claim: look at the next sentence too.
        nearby = sentence + " " + (body[slice(*sentences[index + 1])] if index + 1 < len(sentences) else "")
        if _CITATION.search(nearby) or group.support.search(nearby) is not None:
            continue
        measured = _figure_besides(sentence, [(m.start, m.end) for matches in by_rule.values() for m in matches])
        for rule, matches in by_rule.items():
            if measured and rule.figures:
                continue
            claims.append(
                Claim(
                    rule=rule.code,
                    block=block,
                    phrases=tuple(dict.fromkeys(m.text for m in matches)),
                    entries=tuple(dict.fromkeys(m.entry for m in matches)),
                    sentence=sentence,
                    in_title=headline,
                    start=start,
                )
            )
    return claims


def _claim_phrases(group: Group, sentence: str, allowed: tuple[str, ...]) -> dict[type[ClaimRule], list[Match]]:
    """The claim phrases of a sentence by rule.

    A phrase inside an exempt phrase (第一步, "the best way to") is dropped, and
    so is one inside a longer claim of another rule, so that 用户的首选 counts
    once, as popularity, not also as a superlative.
    """
    taken = [(m.start, m.end) for m in group.exempt.finditer(sentence)]
    found = [(rule, m) for rule in group.rules for m in rule.matcher.finditer(sentence)]
    found.sort(key=lambda item: item[1].start - item[1].end)  # longest first
    by_rule: dict[type[ClaimRule], list[Match]] = {}
    for rule, match in found:
        if any(s < match.end and match.start < e for s, e in taken):
            continue
        taken.append((match.start, match.end))
        if match.text.lower() in allowed or match.entry.lower() in allowed:
            continue
        by_rule.setdefault(rule, []).append(match)
    for matches in by_rule.values():
        matches.sort(key=lambda m: m.start)
    return by_rule


def _figure_besides(sentence: str, claimed: list[tuple[int, int]]) -> bool:
    """Whether the sentence gives a figure other than the claim itself (the "100%" of "100% safe")."""
    return any(not any(s < f.end() and f.start() < e for s, e in claimed) for f in _FIGURE.finditer(sentence))


def _is_source(link: Link) -> bool:
    """Whether a link could be a source: not an image, not in the title, not a seller's or a tracker's."""
    if link.is_image or link.in_title:
        return False
    return _sellers().search(link.url) is None


def _grade(found: PageClaims, options: Mapping[str, Any]) -> Severity:
    distinct = found.distinct
    piled_up = distinct >= options["error_claims"] and found.rules >= options["error_kinds"]
    headlined = found.in_title and distinct >= options["error_claims_with_title"]
    strong = found.strong >= options["error_strong"]
    return Severity.ERROR if strong and (piled_up or headlined) else Severity.WARNING


def _page_note(found: PageClaims) -> str:
    where = ", one in the title or description" if found.in_title else ""
    return f" (page makes {found.distinct} unsupported claims of {found.rules} kinds{where})"


def _clip(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= _CLIP else sentence[: _CLIP - 1] + "…"


def build(definition: Mapping[str, Any], where: str) -> type[DataRule]:
    figures = definition.get("figures", True)
    if not isinstance(figures, bool):
        raise RuleError(f"{where}: figures must be true or false")
    group = definition.get("group")
    if group is not None and (not isinstance(group, str) or not group.strip()):
        raise RuleError(f"{where}: group must be a name")
    grading = definition.get("grading")
    options = grading_options(grading, GRADING, where)
    attributes: dict[str, Any] = {
        "matcher": PhraseMatcher(tokens(definition, "tokens", where)),
        "figures": figures,
        "exempt": tokens(definition, "exempt", where, required=False),
        "support": tokens(definition, "support", where, required=False),
        "weak": tokens(definition, "weak", where, required=False),
        "group_name": group,
        "grading": grading is not None,
        "options": options,
    }
    return type("ClaimKind", (ClaimRule,), attributes)


def join(rules: Iterable[type[Rule]]) -> None:
    """Give each claim rule its group: the rules of its `group` name, or itself alone."""
    groups: dict[str, list[type[ClaimRule]]] = {}
    for rule in rules:
        if issubclass(rule, ClaimRule):
            groups.setdefault(rule.group_name or f"rule {rule.code}", []).append(rule)
    for members in groups.values():
        shared = Group(tuple(members))
        for rule in members:
            rule.group = shared
