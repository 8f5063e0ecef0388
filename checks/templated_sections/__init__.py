"""templated-sections: pages built from a stock skeleton and stock filler.

Content farms (and text generators asked for "an article about X") fill one
outline with any topic: an introduction, "what is X", its advantages, the
steps, an FAQ, tips, an outlook and a summary, opened with "in today's world"
and closed with "in conclusion, we hope this article helps". Each trait alone
is ordinary writing, so the rules grade by how many distinct stock pieces a
page stacks up, never by one.

The word lists live in `data/` (one file per list and language). TS102 is data:
`rules.toml` declares it as an occurrence rule (auditor/kinds/occurrence.py runs it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from auditor import text
from auditor.kinds import declared_rules
from auditor.models import Block, Page, Severity, spans
from auditor.registry import Check, Context, Hit, Rule
from auditor.text import lexicon
from auditor.text.matching import PhraseMatcher

from .images import SearchQueryImage
from .site import NearDuplicate, SkeletonCluster

_PACKAGE = __name__

# The stock skeleton in its usual order. Roles of one rank may come in either
# order (steps, FAQ and tips are shuffled freely), a lower rank never after a
# higher one.
ROLE_RANK = {
    "intro": 0,
    "what-is": 1,
    "advantages": 1,
    "steps": 2,
    "faq": 2,
    "tips": 2,
    "outlook": 3,
    "summary": 3,
}
_ROLE_BIT = {role: 1 << i for i, role in enumerate(ROLE_RANK)}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _lang(block: Block, page: Page) -> str:
    """The lexicon language for a block: its own, or the page's when the block has no letters."""
    lang = block.language if block.language != "und" else page.language
    return "zh" if lang == "zh" else "en"


@cache
def _skeleton() -> tuple[PhraseMatcher, dict[str, str]]:
    """One matcher over the role phrases of every language, and the role of each phrase.

    Both languages at once: Chinese blogs often title their sections in
    English ("Foreword", "Summary") and English pages borrow "Q&A".
    """
    roles: dict[str, str] = {}
    for entry in lexicon.all_languages(_PACKAGE, "skeleton"):
        role, _, phrase = entry.partition(":")
        if role.strip() in ROLE_RANK and phrase.strip():
            roles.setdefault(phrase.strip().lower(), role.strip())
    return PhraseMatcher(roles), roles


def _allowed(phrase: str, context: Context) -> bool:
    """Whether the user allowed this phrase (an allowed term inside it counts too)."""
    folded = phrase.lower()
    return any(term.lower() in folded for term in context.allow_terms)


def _section_headings(page: Page) -> list[Block]:
    """Headings below the page title (a level-1 heading that repeats the title is the title)."""
    title = (page.title or "").strip()
    return [h for h in page.headings if not (h.level == 1 or h.text.strip() == title)]


# --- TS101 -------------------------------------------------------------------


@dataclass(frozen=True)
class _RoleHeading:
    role: str
    heading: Block
    phrase: str


def _role_of(heading: Block, context: Context) -> _RoleHeading | None:
    matcher, roles = _skeleton()
    for found in matcher.finditer(heading.text):
        if not _allowed(found.text, context):
            return _RoleHeading(roles[found.entry.lower()], heading, found.text)
    return None


def _longest_skeleton(marked: list[_RoleHeading]) -> list[_RoleHeading]:
    """The longest run of headings, in page order, whose distinct roles keep skeleton order.

    A small dynamic programme over role sets (8 roles, so at most 256 sets):
    for each set it keeps the chain that reaches it ending at the lowest rank,
    which leaves the most room for later headings. Linear in the headings.
    """
    best: dict[int, tuple[int, list[_RoleHeading]]] = {0: (-1, [])}
    for item in marked:
        rank, bit = ROLE_RANK[item.role], _ROLE_BIT[item.role]
        for mask, (last_rank, chain) in list(best.items()):
            if last_rank > rank or mask & bit:
                continue
            new = mask | bit
            if new not in best or best[new][0] > rank:
                best[new] = (rank, [*chain, item])
    return max((chain for _, chain in best.values()), key=len)


class StockSkeleton(Rule):
    """Headings follow the stock outline of template articles.

    **What it catches**
    Section headings that map, one after another, onto the roles of the stock
    article outline: introduction, "what is …", advantages, steps, FAQ, tips,
    outlook, summary (前言 / 什么是 / 优势 / 步骤 / 常见问题 / 注意事项 / 展望 /
    总结). Each heading is matched against a per-language list of role phrases;
    the rule counts the distinct roles that appear in skeleton order. A few
    roles are normal (a blog post with a foreword and a summary, a docs page
    with an FAQ); a page that walks through most of the outline was filled in,
    not written.

    **Why it matters**
    Farms publish hundreds of pages by pouring a new keyword into the same
    outline. Search engines and readers recognise the pattern as low-value
    content, and it hides whatever the page really has to say.

    **Example**
    ```markdown
    ## 一、什么是虚拟卡？
    ## 二、虚拟卡的优势
    ## 三、开通步骤
    ## 四、常见问题
    ## 五、注意事项
    ## 六、总结
    ```

    **Better**
    ```markdown
    ## 我在哪些网站试过这张卡
    ## 被拒付的两次，原因是什么
    ## 还没解决的问题
    ```
    Name sections after what they say, drop the ones written only to fill
    the outline (the generic "advantages", "outlook", "summary").

    **Options**
    - `info_roles` (3): distinct roles in order that are reported as information
      (a foreword, a how-to section and a summary are common in honest posts).
    - `warning_roles` (4): distinct roles in order that make a warning.
    - `error_roles` (5): distinct roles in order that make an error.

    **Silence it**
    `<!-- auditor-disable-next-line TS101 -->` above the first heading, or
    `ignore = ["TS101"]` in the config.
    """

    code = "TS101"
    name = "stock-skeleton"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {"info_roles": 3, "warning_roles": 4, "error_roles": 5}

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        marked = [m for h in _section_headings(page) if (m := _role_of(h, context))]
        chain = _longest_skeleton(marked)
        if len(chain) < context.options["info_roles"]:
            return
        severity = Severity.INFO
        if len(chain) >= context.options["error_roles"]:
            severity = Severity.ERROR
        elif len(chain) >= context.options["warning_roles"]:
            severity = Severity.WARNING
        first = chain[0].heading
        line, column, end_line, end_column = page.locate(first, chain[0].phrase)
        outline = " → ".join(m.role for m in chain)
        yield Hit(
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            severity=severity,
            message=(
                f"the headings follow a stock article outline ({len(chain)} roles: {outline}); "
                "name sections after what they say and drop the filler ones"
            ),
            evidence="; ".join(f"{m.role}: ‘{m.heading.text}’ (line {m.heading.line})" for m in chain),
            spans=spans(*(page.block_span(m.heading, "stock heading") for m in chain)),
        )


# --- TS103 -------------------------------------------------------------------


@cache
def _question_words(lang: str) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.words(_PACKAGE, "question_words", lang))


def _is_question(heading: Block, lang: str) -> bool:
    stripped = heading.text.rstrip()
    if stripped.endswith(("?", "？")):
        return True
    words = heading.words
    if lang == "en":
        return bool(words) and words[0].norm in _question_words("en")
    return any(w.norm in _question_words("zh") for w in words)


def _units(block: Block, context: Context) -> list[str]:
    """What a heading is made of, for comparing it with the title: its Latin content words
    and the characters of its Chinese content words, without question words, stopword
    characters and the user's allowed terms.

    Chinese is compared character by character because jieba may cut one phrase
    differently in two contexts ("远游卡是" / "远游" + "卡").
    """
    skip = _question_words("zh") | _question_words("en")
    allowed = {t.lower() for t in context.allow_terms}
    units: list[str] = []
    for word in block.words:
        if not word.content or word.norm in skip or word.norm in allowed:
            continue
        if _HAN.match(word.norm):
            units.extend(c for c in word.norm if c not in text.stopwords("zh"))
        else:
            units.append(word.norm)
    return units


class HeadingRestatesTitle(Rule):
    """Question headings that only restate the page title.

    **What it catches**
    Section headings phrased as a question whose words are, nearly all, the
    title's own words: a page titled "X卡怎么续费？" with a section "如何续费X卡？",
    or "How to Renew an X Card" with "How Do I Renew My X Card?". A
    heading counts when it is a question (ends in a question mark or asks with
    如何/怎么/什么…, How/What/Why…) and, question words set aside, nearly all its
    words (for Chinese, its characters) come from the title. One such heading
    is a warning, and so are two or three ("What is X?" and "How to use X?"
    are how honest docs start); an error needs many.

    **Why it matters**
    Restating the title as a question is a keyword-placement trick: it adds
    the target phrase to another heading without adding a topic. Readers get
    a heading that tells them nothing new.

    **Example**
    ```markdown
    title: Heyon卡eSIM卡怎么续费？
    ## 如何续费Heyon卡eSIM卡？
    ```

    **Better**
    ```markdown
    title: Heyon卡eSIM卡怎么续费？
    ## 在 App 里续费的四步
    ```
    Let the heading say what the section adds.

    **Options**
    - `min_shared` (2): words (Chinese: characters) a heading must share with the title.
    - `min_overlap` (0.8): share of the heading's words (Chinese: characters) found in
      the title, once question words and stopwords are set aside.
    - `error_headings` (4): restating headings that make an error (fewer are a warning).

    **Silence it**
    `<!-- auditor-disable-next-line TS103 -->` above the heading, or
    `ignore = ["TS103"]` in the config.
    """

    code = "TS103"
    name = "heading-restates-title"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {"min_shared": 2, "min_overlap": 0.8, "error_headings": 4}

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        title_block = page.title_block
        if title_block is None:
            return
        title_units = set(_units(title_block, context))
        restating = []
        for heading in _section_headings(page):
            if heading is title_block or not _is_question(heading, _lang(heading, page)):
                continue
            units = _units(heading, context)
            shared = [u for u in units if u in title_units]
            if len(shared) >= context.options["min_shared"] and len(shared) >= (
                context.options["min_overlap"] * len(units)
            ):
                restating.append((heading, len(shared), len(units)))
        severity = Severity.ERROR if len(restating) >= context.options["error_headings"] else Severity.WARNING
        for heading, shared, units in restating:
            yield Hit(
                line=heading.line,
                column=heading.column,
                severity=severity,
                message=(
                    f"question heading restates the title ({len(restating)} such heading"
                    f"{'s' if len(restating) > 1 else ''}); say what this section adds"
                ),
                evidence=(
                    f"‘{heading.text}’: {shared} of its {units} words and characters "
                    f"are in the title ‘{title_block.text}’"
                ),
                spans=spans(page.block_span(heading, "heading")),
            )


CHECK = Check(
    name="templated-sections",
    prefix="TS",
    rules=(
        StockSkeleton,
        *declared_rules(__name__),
        HeadingRestatesTitle,
        SearchQueryImage,
        SkeletonCluster,
        NearDuplicate,
    ),
    description="Pages built from a stock skeleton and stock filler: outline roles, set phrases, "
    "headings that restate the title.",
    version="1",
)
