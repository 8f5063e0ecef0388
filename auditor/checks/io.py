"""The io check: files the auditor could not read as pages.

Its rules are reported by the engine itself, not by looking at a Page, since
there is no Page when a file cannot be read; they are registered like any
other check so they can be selected, ignored, explained and re-graded.
"""

from __future__ import annotations

from auditor.models import Severity
from auditor.registry import Check, Rule


class UnreadableFile(Rule):
    """The file could not be read or decoded as text.

    **What it catches**
    A path that does not exist or cannot be opened, a binary file with a page's
    name, or bytes that are not valid in any encoding the auditor knows
    (UTF-8, UTF-16 with BOM, GB18030/GBK, Big5, or the page's `<meta charset>`).

    **Why it matters**
    A page the auditor cannot read is a page nobody checked. The rest of the
    run goes on, but the gap should be visible.

    **Example**
    `logo.md` that is really a PNG image.

    **Better**
    Save the page as UTF-8, or remove the file from the content folder.

    **Silence it**
    Exclude the file in the config: `exclude = ["assets/**"]`.
    """

    code = "IO001"
    name = "unreadable-file"
    default_severity = Severity.WARNING


class InvalidFrontMatter(Rule):
    """The front matter is not valid YAML or TOML.

    **What it catches**
    A `---` (YAML) or `+++` (TOML) block at the top of the page that does not
    parse. The page body is still audited; the title and any
    `auditor: {disable: [...]}` settings in it are not seen.

    **Why it matters**
    Site generators fail or silently drop the page's metadata.

    **Example**
    `title: "Unclosed quote`

    **Better**
    `title: "Closed quote"`

    **Silence it**
    `ignore = ["IO002"]` in the config.
    """

    code = "IO002"
    name = "invalid-front-matter"
    default_severity = Severity.WARNING


CHECK = Check(
    name="io",
    prefix="IO",
    rules=(UnreadableFile, InvalidFrontMatter),
    description="Files the auditor could not read as pages.",
    version="1",
)
