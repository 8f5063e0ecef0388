"""The public check API: everything a plugin author imports, from one place.

    from auditor.sdk import Check, Context, Hit, Page, Rule, Severity

- `Rule`: one rule. Class attributes `code` (prefix + three digits, e.g.
  `XY101`), `name` (kebab-case), `default_severity`, `options` (defaults);
  `check(page, context)` yields `Hit`s. The docstring is the rule's
  documentation: a summary line, then the headings in `DOC_HEADINGS`.
- `SiteRule`: a rule across all the pages of a run, as a chain of group-bys
  (`signature`, `keys`, `reduce`); see its docstring.
- `Hit`: what a rule reports (line, column, message, evidence, optional
  end, severity and spans); the engine turns it into a `Finding`.
- `Span`: a piece of the page's prose a hit rests on (a block of
  `page.prose`, offsets into its text, a label), made with `page.span`,
  `page.block_span`, `page.link_span` or `page.find`; reports mark it.
- `Context`: the rule's options and the user's watch/allow term lists.
- `Page`, `Block`, `Link`: the parsed page a rule reads.
- `Check`: a family of rules sharing a code prefix; a plugin exposes one
  `Check` object through the `auditor.checks` entry-point group.

The older import paths (`auditor.registry`, `auditor.models`) keep working.
"""

from auditor.models import Block, Finding, Link, Page, Severity, Span
from auditor.registry import CODE_PATTERN, DOC_HEADINGS, ENTRY_POINT_GROUP, Check, Context, Hit, Rule, SiteRule

__all__ = [
    "CODE_PATTERN",
    "DOC_HEADINGS",
    "ENTRY_POINT_GROUP",
    "Block",
    "Check",
    "Context",
    "Finding",
    "Hit",
    "Link",
    "Page",
    "Rule",
    "Severity",
    "SiteRule",
    "Span",
]
