"""The engine's io diagnostics: files the auditor could not read as pages, or read only in part.

The engine reports these itself, not a check looking at a Page: there is no
Page when a file cannot be read. They are in every registry (see
`Registry`), so they can be selected, ignored, explained and re-graded like
any rule, and no registry can lack them and report a missing file as clean. Each
bad file gets one finding saying what was wrong and what was audited anyway.
"""

from __future__ import annotations

from auditor.models import Severity
from auditor.registry import Check, Rule


class UnreadableFile(Rule):
    """The file could not be read or decoded as text.

    **What it catches**
    A path that does not exist (or vanished during the run) or cannot be
    opened, a broken symlink or a symlink loop, a folder that cannot be listed,
    something that is not a regular file (a FIFO, a device), or a binary file
    with a page's name.

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


class FileTooLarge(Rule):
    """The file is larger than `max-file-size`; only its beginning was audited.

    **What it catches**
    A page over the size limit (1 MiB by default). Its first `max-file-size`
    bytes, up to the last whole line, are audited; the rest is not.

    **Why it matters**
    Pages that big are generated dumps or padding, and auditing them whole
    would let one file hold up the run. What was not audited should be visible.

    **Example**
    A 50 MB `archive.md`.

    **Better**
    Split the page, or raise the limit: `max-file-size = 10485760` in `[tool.auditor]` (0: no limit).

    **Silence it**
    `ignore = ["IO003"]` in the config.
    """

    code = "IO003"
    name = "file-too-large"
    default_severity = Severity.WARNING


class NestingTooDeep(Rule):
    """The page nests deeper than the parser's limit; the deeper part was flattened or not read.

    **What it catches**
    HTML elements nested deeper than `max-depth` (256 by default): deeper
    elements are flattened into the deepest one kept and their text is still
    audited. Markdown quotes and lists nested 20 levels deep or more (or
    `max-depth`, when lower): what is nested deeper is not read.

    **Why it matters**
    No real page nests that deep; such markup is broken or built to choke
    parsers, and the structure (headings, links in headings) below the limit is lost.

    **Example**
    `<div><div><div>…` 100,000 levels deep.

    **Better**
    Fix the generator that produced the markup.

    **Silence it**
    `ignore = ["IO004"]`, or raise `max-depth` in `[tool.auditor]`.
    """

    code = "IO004"
    name = "nesting-too-deep"
    default_severity = Severity.WARNING


class FindingsCut(Rule):
    """The page has more findings than `max-findings-per-file`; the rest were counted, not listed.

    **What it catches**
    A page with more findings than the limit (200 by default). The most severe
    findings are kept, earliest first; this finding counts the others by rule.
    The exit status is the same as with every finding listed.

    **Why it matters**
    A page with 200,000 links would otherwise bury the report and every other page in it.

    **Example**
    A link farm page with thousands of affiliate links.

    **Better**
    Fix the findings listed first, or raise `max-findings-per-file` in `[tool.auditor]` (0: no limit).

    **Silence it**
    `ignore = ["IO005"]` in the config.
    """

    code = "IO005"
    name = "findings-cut"
    default_severity = Severity.WARNING


class InternalError(Rule):
    """A check or a parser failed on this page; its findings for the page are missing.

    **What it catches**
    A check (built-in or a plugin) that raised an exception, or ran longer than
    `check-timeout` seconds on one page (10 by default), and a parser that
    failed or ran as long (markdown-it is slow on pages of unclosed brackets).
    It is reported once per check and page, naming the check and the error;
    the other checks' findings still appear.

    **Why it matters**
    A silent failure would look like a clean page.

    **Example**
    A third-party check that divides by zero on an empty page.

    **Better**
    Report it to the check's authors with the page; raise `check-timeout` if the page is just big.

    **Silence it**
    `ignore = ["IO006"]`, or the failing check by name, e.g. `ignore = ["promo-links"]`.
    """

    code = "IO006"
    name = "internal-error"
    default_severity = Severity.WARNING


class EncodingProblem(Rule):
    """The file is readable but not cleanly encoded: UTF-16 without BOM, or bytes that are not UTF-8.

    **What it catches**
    UTF-16 text without a byte-order mark (read all the same), and a UTF-8
    file with bytes that are not UTF-8 (a paragraph pasted from a GBK file,
    a cut character): those bytes are read as U+FFFD and the lines are named.
    The rest of the page is audited.

    **Why it matters**
    Browsers and site generators show such bytes as garbage, and the
    garbled part could not be audited.

    **Example**
    A UTF-8 page with one paragraph saved in GBK.

    **Better**
    Save the whole file as UTF-8.

    **Silence it**
    `ignore = ["IO007"]` in the config.
    """

    code = "IO007"
    name = "encoding-problem"
    default_severity = Severity.WARNING


class EmptyFile(Rule):
    """The file is empty: there is nothing to audit.

    **What it catches**
    A page file of zero bytes.

    **Why it matters**
    It publishes as a blank page, usually by mistake (a failed export or a placeholder).

    **Example**
    `index.md` of 0 bytes.

    **Better**
    Write the page or delete the file.

    **Silence it**
    `ignore = ["IO008"]` in the config.
    """

    code = "IO008"
    name = "empty-file"
    default_severity = Severity.INFO


class InvalidFileName(Rule):
    """The file name is not valid UTF-8; it is reported with `\\xNN` escapes.

    **What it catches**
    A path whose bytes are not UTF-8 (a name saved in Latin-1 or GBK). The
    page is audited; reports show the bad bytes as `\\xNN`.

    **Why it matters**
    Web servers, git hosts and links cannot name it reliably.

    **Example**
    `caf\\xe9.md`, written by a Latin-1 system.

    **Better**
    Rename it with a UTF-8 (or plain ASCII) name.

    **Silence it**
    `ignore = ["IO009"]` in the config.
    """

    code = "IO009"
    name = "invalid-file-name"
    default_severity = Severity.WARNING


class LinkOutsideTree(Rule):
    """A symbolic link found in a folder points outside it; it was not read.

    **What it catches**
    A symlink met while walking a folder given on the command line whose
    target resolves outside that folder: a page link, or a folder link
    (which is not walked either). The finding names the link only, never its
    target. A file named explicitly on the command line is read wherever it points.

    **Why it matters**
    In CI a pull request could add `docs/x.md -> /etc/secret`, and the
    target's lines would land as evidence in public logs and SARIF.

    **Example**
    `docs/notes.md -> ../../home/me/notes.md`, audited as `auditor check docs/`.

    **Better**
    Copy the page into the tree, or name the link on the command line to audit it on purpose.

    **Silence it**
    Exclude the link in the config: `exclude = ["docs/notes.md"]`, or `ignore = ["IO010"]`.
    """

    code = "IO010"
    name = "link-outside-tree"
    default_severity = Severity.WARNING


CHECK = Check(
    name="io",
    prefix="IO",
    rules=(
        UnreadableFile,
        InvalidFrontMatter,
        FileTooLarge,
        NestingTooDeep,
        FindingsCut,
        InternalError,
        EncodingProblem,
        EmptyFile,
        InvalidFileName,
        LinkOutsideTree,
    ),
    description="Files the auditor could not read as pages, or read only in part.",
    version="2",
)
