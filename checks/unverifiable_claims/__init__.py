"""unverifiable-claims: marketing claims that nothing on the page supports.

Four kinds of claim, one rule each: superlatives and ranks, popularity,
guarantees, comparisons with rivals. A claim counts only when nothing near it
backs it: no link to a source in its block, no footnote or citation, no
"according to …" and, for all but guarantees, no measured figure in its
sentence. One unsupported claim is a warning; a page that piles up several
distinct ones of different kinds, or makes one in its title or description
besides others, reads as sales copy and gets errors.

The rules are data: `rules.toml` declares them as claim rules of one group
(auditor/kinds/claim.py runs them), with their word lists in `data/`.
"""

from __future__ import annotations

from auditor.kinds import declared_rules
from auditor.registry import Check

CHECK = Check(
    name="unverifiable-claims",
    prefix="UC",
    rules=declared_rules(__name__),
    description="Marketing claims — superlatives, popularity, guarantees, comparisons "
    "with rivals — that no source, citation or figure near them supports.",
    version="1",
)
