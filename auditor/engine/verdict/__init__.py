"""page-verdict: one error for a page whose findings, weighed together, read as promotion.

Most promo pages carry several weak traits and no single damning one: three
unsupported claims, a stock outline and a repeated vendor link. Each is a
warning an honest page may also earn; together they are the page's verdict.
As in SpamAssassin and Rspamd, every rule has a weight (per severity, its
count capped), the page's score is their sum, and the score reaching the
threshold is an error. The weights, caps and threshold are package data
(`data/weights.toml`), fitted by `tools/fit_verdict.py` and validated there
leave-one-source-out; they are not tuned by hand.

The engine applies the verdict after the page's other findings are final:
alone, after the page's own checks; in a site run, after the site rules
have added theirs. Findings hidden by disable comments do not count.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from auditor.models import Finding, Severity
from auditor.registry import Check, Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Findings listed in the message, the heaviest first; the rest are summed as "…".
_LISTED = 6


class ReadsAsPromotion(Rule):
    """The page's findings, weighed together, reach the promotion threshold.

    **What it catches**
    A page with several traits of promotion, none damning alone: unsupported
    superlatives, a stock outline, a referral link repeated, a messaging
    contact. Each finding adds its rule's weight (by severity, counted up to
    the rule's cap); at the threshold the page gets this error, listing what
    it is made of: `reads as promotion (score 7.5 ≥ 5.0): PL404 ×2 (3.0), …`.

    **Why it matters**
    Spam kits avoid the one trait a filter looks for and keep the rest. An
    honest page earns one or two warnings of one kind; a promo page earns
    many, of several kinds. Mail filters have weighed evidence this way for
    twenty years.

    **Example**
    A "best VPN" review with three unsupported rankings (UC301), the stock
    intro/advantages/FAQ outline (TS101) and the same affiliate link in two
    buttons (PL404).

    **Better**
    Fix the findings it lists: cite the rankings, write the page's own
    outline, disclose or drop the affiliate link. The score falls with each.

    **Silence it**
    Fix or silence the contributing findings; a disable comment for PV501
    hides the verdict itself: `<!-- auditor-disable PV501 -->`.
    """

    code = "PV501"
    name = "reads-as-promotion"
    default_severity = Severity.ERROR


CHECK = Check(
    name="page-verdict",
    prefix="PV",
    rules=(ReadsAsPromotion,),
    description="The page's findings weighed together against a promotion threshold.",
    version="1",
)
CODE = ReadsAsPromotion.code


@dataclass(frozen=True)
class Weights:
    """A rule's weight per severity of its findings, how many of them count, and the threshold."""

    threshold: float
    by_rule: dict[str, dict[str, float]]
    caps: dict[str, int]
    default_cap: int

    def cap(self, code: str) -> int:
        return self.caps.get(code, self.default_cap)

    def with_rules(self, declared: Mapping[str, float]) -> Weights:
        """This table with rules weighed alike at every severity (custom rules' `weight`), when any."""
        if not declared:
            return self
        by_rule = {code: {s.value: w for s in Severity} for code, w in declared.items()}
        return replace(self, by_rule={**self.by_rule, **by_rule})


@cache
def weights() -> Weights:
    """The fitted weights shipped with the package."""
    raw = tomllib.loads(resources.files(__package__).joinpath("data", "weights.toml").read_text(encoding="utf-8"))
    rules = raw.get("rules", {})
    return Weights(
        threshold=float(raw["threshold"]),
        by_rule={code: {k: float(v) for k, v in w.items() if k != "cap"} for code, w in rules.items()},
        caps={code: int(w["cap"]) for code, w in rules.items() if "cap" in w},
        default_cap=int(raw.get("cap", 3)),
    )


@dataclass(frozen=True)
class Part:
    """What one rule adds to the score: its findings of one severity, counted up to its cap."""

    code: str
    severity: str
    count: int
    weight: float


def parts(findings: Iterable[Finding], table: Weights | None = None) -> list[Part]:
    """Each weighted (rule, severity) of `findings` with its contribution, the heaviest first."""
    table = table or weights()
    counts = Counter((f.rule, f.severity.value) for f in findings if f.rule != CODE)
    found = []
    for (code, severity), count in counts.items():
        per_finding = table.by_rule.get(code, {}).get(severity, 0.0)
        if per_finding > 0:
            found.append(Part(code, severity, count, per_finding * min(count, table.cap(code))))
    return sorted(found, key=lambda p: (-p.weight, p.code, p.severity))


def verdict(findings: list[Finding], path: str, severity: Severity, table: Weights | None = None) -> Finding | None:
    """The PV501 finding for a page with these findings, or None when it stays under the threshold."""
    table = table or weights()
    found = parts(findings, table)
    score = sum(p.weight for p in found)
    if score < table.threshold or not found:
        return None
    # Parts too light to show at one decimal are summed with the rest.
    shown = [p for p in found if round(p.weight, 1) > 0][:_LISTED]
    listed = ", ".join(
        f"{p.code}{'' if p.severity == 'warning' else ' ' + p.severity}{f' ×{p.count}' if p.count > 1 else ''} "
        f"({p.weight:.1f})"
        for p in shown
    )
    rest = sum(p.weight for p in found) - sum(p.weight for p in shown)
    more = f", … ({rest:.1f})" if round(rest, 1) > 0 else ""
    first = {}
    for f in findings:
        first.setdefault(f.rule, f.line)
    # By code, not weight, so that a baseline still knows the verdict when one more finding of a kind joins.
    evidence = "; ".join(f"{code} first at line {first[code]}" for code in sorted({p.code for p in found}))
    return Finding(
        rule=CODE,
        name=ReadsAsPromotion.name,
        check=CHECK.name,
        severity=severity,
        path=path,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        message=f"reads as promotion (score {score:.1f} ≥ {table.threshold:.1f}): {listed}{more}",
        evidence=evidence,
    )
