"""unverifiable-claims: marketing claims that nothing on the page supports.

Four kinds of claim, one rule each: superlatives and ranks, popularity,
guarantees, comparisons with rivals. A claim counts only when nothing near it
backs it: no link to a source in its block, no footnote or citation, no
"according to …" and, for all but guarantees, no measured figure in its
sentence. One unsupported claim is a warning; a page that piles up several
distinct ones of different kinds, or makes one in its title or description
besides others, reads as sales copy and gets errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from auditor.checks.unverifiable_claims.claims import Claim, PageClaims, page_claims
from auditor.models import Page, Severity, Span, spans
from auditor.registry import Check, Context, Hit, Rule

# Shared by the four rules: the page is graded as a whole, whatever the kind.
GRADING: Mapping[str, Any] = {
    "error_claims": 3,  # distinct unsupported claims on the page …
    "error_kinds": 2,  # … of at least this many kinds, make every claim an error
    "error_claims_with_title": 3,  # or this many when one of them is in the title or description
    "error_strong": 2,  # and, either way, this many of them worded as sales copy (not on the weak list)
}


class _ClaimRule(Rule):
    """Reports the unsupported claims of one kind, graded on the whole page."""

    kind: ClassVar[str]
    advice: ClassVar[str]
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = GRADING

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        found = page_claims(page, context.allow_terms)
        severity = _grade(found, context.options)
        for claim in found.of_kind(self.kind):
            line, column, end_line, end_column = page.locate(claim.block, claim.phrases[0])
            quoted = ", ".join(f"‘{p}’" for p in claim.phrases)
            yield Hit(
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                message=f"{quoted} with no source near it{_page_note(found, severity)}; {self.advice}",
                evidence=_clip(claim.sentence),
                severity=severity,
                spans=spans(_sentence_span(page, claim)),
            )


def _sentence_span(page: Page, claim: Claim) -> Span | None:
    """The claim's sentence, without the white space around it."""
    sentence = claim.sentence
    start = claim.start + len(sentence) - len(sentence.lstrip())
    return page.span(claim.block, start, claim.start + len(sentence.rstrip()), "claim")


def _grade(found: PageClaims, options: Mapping[str, Any]) -> Severity:
    distinct = found.distinct
    piled_up = distinct >= options["error_claims"] and found.kinds >= options["error_kinds"]
    headlined = found.in_title and distinct >= options["error_claims_with_title"]
    strong = found.strong >= options["error_strong"]
    return Severity.ERROR if strong and (piled_up or headlined) else Severity.WARNING


def _page_note(found: PageClaims, severity: Severity) -> str:
    if severity is not Severity.ERROR:
        return ""
    where = ", one in the title or description" if found.in_title else ""
    return f" (page makes {found.distinct} unsupported claims of {found.kinds} kinds{where})"


def _clip(sentence: str, limit: int = 160) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


class SuperlativeClaim(_ClaimRule):
    """A superlative or rank claim ("the best", "首选", "#1", "industry-leading") with no source.

    **What it catches**
    Phrases that rank a product above all others — 最佳选择, 首选, 佼佼者, 行业领先,
    全网第一, "the best", "#1", "world's leading", "unmatched" — in a sentence that
    nothing supports: no link to a source in the same block, no footnote or
    citation, no "according to …", no measured figure. Honest uses are left out
    by the word lists: 第一步, 最新版本, "best practice", "the best way to".

    **Why it matters**
    A ranking nobody can check is the core of sales copy, and pages stuffed with
    them are what search engines and readers learn to distrust. A ranking with
    its source is information.

    **Example**
    ```markdown
    Heyon卡是eSIM领域的佼佼者，也是出国旅行的首选。
    ```

    **Better**
    ```markdown
    Heyon卡在我们测试的五款eSIM中信号最稳（[测试记录](https://example.org/esim-test)）。
    ```

    **Options**
    `error_claims` (3): distinct unsupported claims on a page, of at least
    `error_kinds` (2) kinds, that turn every claim into an error.
    `error_claims_with_title` (3): the same count when one claim is in the
    title or meta description. `error_strong` (2): how many of those claims
    must be worded as sales copy; phrases honest writing also uses about
    things it does not sell (首选, 最便宜, "the best", "most popular") are
    reported but never make an error on their own. Below these a claim is a
    warning. The options are shared by UC301–UC304 and grade the page as a whole.

    **Silence it**
    `<!-- auditor-disable-next-line UC301 -->` above the line, the term in the
    config's allowed terms (`allow-terms = ["首选"]`), or `ignore = ["UC301"]`.
    """

    code = "UC301"
    name = "superlative-claim"
    kind = "superlative"
    advice = "cite who ranked it, give the measurement, or drop the superlative"


class PopularityClaim(_ClaimRule):
    """A popularity claim ("深受用户喜爱", "trusted by millions") with no figure or source.

    **What it catches**
    Claims that many people use or love a product — 深受用户喜爱, 广受欢迎, 备受青睐,
    "most popular", "trusted by millions", "join millions of users" — with no
    figure and no source near them.

    **Why it matters**
    Popularity without a number is social proof made up for the occasion; spam
    pages open and close with it. Download counts, user numbers or a survey
    with its source let the reader judge.

    **Example**
    ```markdown
    This wallet app is loved by millions and trusted by thousands of traders.
    ```

    **Better**
    ```markdown
    The app passed 2 million downloads on F-Droid in 2024 ([stats](https://example.org/stats)).
    ```

    **Options**
    Shared with UC301: `error_claims` (3), `error_kinds` (2),
    `error_claims_with_title` (3), `error_strong` (2).

    **Silence it**
    `<!-- auditor-disable-next-line UC302 -->` above the line, or `ignore = ["UC302"]`.
    """

    code = "UC302"
    name = "popularity-claim"
    kind = "popularity"
    advice = "give the figure and where it comes from, or cut the claim"


class GuaranteeClaim(_ClaimRule):
    """A guarantee or absolute promise ("100%成功", "永久有效", "risk-free") with no terms behind it.

    **What it catches**
    Promises of certainty — 百分百, 保证成功, 永久免费, 安全可靠, 零风险, "100% safe",
    "guaranteed results", "risk-free", "lifetime access" — with no link to the
    terms or a source near them. Technical and negated uses ("is guaranteed to
    run first", 不保证, "cannot guarantee") are not claims and are left out.

    **Why it matters**
    Nobody can promise a service never fails; such promises are how scam and
    affiliate pages lower the reader's guard. When a real guarantee exists, its
    terms are a link away.

    **Example**
    ```markdown
    这个机场永久有效，100%安全，放心使用。
    ```

    **Better**
    ```markdown
    套餐按年付费，退款条件见[服务条款](https://example.org/terms)。
    ```

    **Options**
    Shared with UC301: `error_claims` (3), `error_kinds` (2),
    `error_claims_with_title` (3), `error_strong` (2). A percentage in the sentence does not count
    as support here, since "100%" is usually the promise itself.

    **Silence it**
    `<!-- auditor-disable-next-line UC303 -->` above the line, or `ignore = ["UC303"]`.
    """

    code = "UC303"
    name = "guarantee-claim"
    kind = "guarantee"
    advice = "link the terms that back the promise, or say what is actually offered"


class RivalComparison(_ClaimRule):
    """A comparison with rivals ("比其他…更", "better than", "秒杀同类") with no measurement.

    **What it catches**
    Claims that a product beats the others — 比其他, 相比…优势, 更胜一筹, 秒杀,
    "better than", "faster than", "unlike other …" — in a sentence with no
    measured figure, no benchmark, no source link.

    **Why it matters**
    A comparison without numbers cannot be checked and usually is not meant to
    be. "30x faster than X in our benchmark", with the benchmark linked, is a
    comparison a reader can verify.

    **Example**
    ```markdown
    相比其他虚拟卡，这张卡的优势在于费率更低、到账更快。
    ```

    **Better**
    ```markdown
    这张卡的开卡费是 9 美元，另外两家分别是 15 和 20 美元（2025 年 3 月[官网价格](https://example.org/fees)）。
    ```

    **Options**
    Shared with UC301: `error_claims` (3), `error_kinds` (2),
    `error_claims_with_title` (3), `error_strong` (2).

    **Silence it**
    `<!-- auditor-disable-next-line UC304 -->` above the line, or `ignore = ["UC304"]`.
    """

    code = "UC304"
    name = "rival-comparison"
    kind = "rival"
    advice = "add the measurement and its source, or describe the product on its own terms"


CHECK = Check(
    name="unverifiable-claims",
    prefix="UC",
    rules=(SuperlativeClaim, PopularityClaim, GuaranteeClaim, RivalComparison),
    description="Marketing claims — superlatives, popularity, guarantees, comparisons "
    "with rivals — that no source, citation or figure near them supports.",
    version="1",
)
