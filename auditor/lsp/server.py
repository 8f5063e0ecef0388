"""The language server: `auditor server` speaks LSP to an editor over stdio (pygls).

    didOpen, didSave ─► audit now        didChange ─► audit once the changes pause (300 ms)
    audit: the buffer's text ─► PageSource ─► Auditor(site=False) ─► publishDiagnostics
    hover over a diagnostic ─► its evidence and `auditor explain`'s text
    code action on a diagnostic ─► a disable comment for its line, or for the whole file

Config is resolved per document as on the command line (the nearest
auditor.toml or [tool.auditor] above the file); a buffer with no file
(untitled:) gets the defaults, and an invalid config is shown as a message.
Site rules are off: an editor sees one page at a time.

Threads: the event loop only reads, answers and publishes. Audits run on one
worker thread, so hovers and code actions are answered while a page is being
audited; jieba's dictionary and the word lists load on another thread from
start-up (auditor/engine/warmup.py), so the first page opened does not pay for them
in full.
"""

from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from auditor import __version__
from auditor.config import ConfigError, default_config, load_config
from auditor.engine import warmup
from auditor.engine.phases import Settings, build
from auditor.input.loading import split_front_matter
from auditor.input.sources import PageSource, format_of
from auditor.kinds import registry_for
from auditor.models import Finding, Severity
from auditor.registry import Registry, default_registry, docs_url

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.3
SOURCE = "auditor"
FORMATS = ("markdown", "html")

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}

# Positions ──────────────────────────────────────────────────────────────────


def units(value: str, encoding: str) -> int:
    """The length of `value` in the client's position units (UTF-16 code units unless negotiated otherwise)."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(value.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(value)
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def finding_range(lines: list[str], finding: Finding, encoding: str) -> types.Range:
    """The LSP range of a finding: 0-based lines, columns in the client's units.

    Findings are 1-based with columns in characters and an exclusive end. A
    finding that marks a point (no end) is widened to the rest of its line,
    so that it shows and can be hovered.
    """
    last = max(len(lines) - 1, 0)
    line = min(max(finding.line - 1, 0), last)
    end_line = min(max(finding.end_line - 1, line), last)
    start_text, end_text = _line(lines, line), _line(lines, end_line)
    start = min(max(finding.column - 1, 0), len(start_text))
    end = min(max(finding.end_column - 1, 0), len(end_text))
    if (end_line, end) <= (line, start):
        end_line, end_text, end = line, start_text, len(start_text)
    return types.Range(
        start=types.Position(line=line, character=units(start_text[:start], encoding)),
        end=types.Position(line=end_line, character=units(end_text[:end], encoding)),
    )


def _line(lines: list[str], index: int) -> str:
    value = lines[index] if index < len(lines) else ""
    return value[:-1] if value.endswith("\r") else value


def _contains(area: types.Range, position: types.Position) -> bool:
    start, end = area.start, area.end
    return (start.line, start.character) <= (position.line, position.character) <= (end.line, end.character)


# Auditing one document (on the worker thread) ───────────────────────────────


@dataclass(frozen=True)
class Entry:
    """A published diagnostic and the finding it shows, for hovers and code actions."""

    diagnostic: types.Diagnostic
    finding: Finding


@dataclass(frozen=True)
class Outcome:
    entries: list[Entry]
    # The rules the document was audited with (the installed ones and its config's custom rules),
    # for hovers and code actions to explain and name a custom rule's findings.
    registry: Registry
    config_error: str | None = None


def audit_document(registry: Registry, uri: str, source: str, language_id: str, encoding: str) -> Outcome | None:
    """The diagnostics of an open document, from its text in memory; None when it is no page of ours."""
    path = uris.to_fs_path(uri) if uri.startswith("file:") else None
    fmt = language_id if language_id in FORMATS else format_of(path or uri)
    if fmt is None:
        return None
    if path is None:
        config = default_config(registry)
    else:
        try:
            config = load_config(registry, start=Path(path))
        except ConfigError as exc:
            return Outcome([], registry, str(exc))
        if config.excluded(path):
            return Outcome([], registry)
    # The bytes are UTF-8 whatever the page declares: the editor has decoded them already.
    page = PageSource(path or uri, data=source.encode("utf-8", "replace"), fmt=fmt, charset="utf-8")
    run_registry = registry_for(config)
    result = build(Settings(config, site=False), run_registry).audit_source(page)
    lines = source.split("\n")
    link = docs_url()
    return Outcome([Entry(_diagnostic(f, lines, encoding, link), f) for f in result.findings], run_registry)


def _diagnostic(finding: Finding, lines: list[str], encoding: str, link: str | None) -> types.Diagnostic:
    message = finding.message + (f"\nevidence: {finding.evidence}" if finding.evidence else "")
    return types.Diagnostic(
        range=finding_range(lines, finding, encoding),
        message=message,
        severity=_SEVERITIES[finding.severity],
        code=finding.rule,
        code_description=types.CodeDescription(href=link) if link else None,
        source=SOURCE,
    )


# Quick fixes ────────────────────────────────────────────────────────────────


def disable_line_edit(source: str, line: int, code: str) -> types.TextEdit | None:
    """`<!-- auditor-disable-next-line CODE -->` above `line` (0-based), indented as it is.

    In front matter the comment is a YAML/TOML comment, which the suppression
    parser reads all the same; a line inside a multi-line value or the fence
    itself gets no such edit (the whole-file one still applies).
    """
    lines = source.split("\n")
    if line >= len(lines):
        return None
    current = lines[line]
    indent = re.match(r"[ \t]*", current).group()  # type: ignore[union-attr]
    comment = f"<!-- auditor-disable-next-line {code} -->"
    front, _ = split_front_matter(source)
    if line < front.line_count:
        if line == 0 or indent:
            return None
        comment = "# " + comment
    return _insert(line, indent + comment + _eol(current))


def disable_file_edit(source: str, code: str) -> types.TextEdit:
    """Turn a rule off for the whole file: in its front matter when it has one, else a comment at the top."""
    lines = source.split("\n")
    eol = _eol(lines[0])
    front, _ = split_front_matter(source)
    if not front.line_count:
        return _insert(0, f"<!-- auditor-disable {code} -->{eol}")
    yaml = lines[0].rstrip() == "---"
    if "auditor" in front.key_lines:  # an `auditor:` table already there: leave it be, comment instead
        return _insert(1, f"# <!-- auditor-disable {code} -->{eol}")
    entry = f"auditor: {{disable: [{code}]}}" if yaml else f'auditor = {{ disable = ["{code}"] }}'
    return _insert(1, entry + eol)


def _insert(line: int, new_text: str) -> types.TextEdit:
    at = types.Position(line=line, character=0)
    return types.TextEdit(range=types.Range(start=at, end=at), new_text=new_text)


def _eol(line: str) -> str:
    return "\r\n" if line.endswith("\r") else "\n"


# The server ─────────────────────────────────────────────────────────────────


class AuditorServer(LanguageServer):
    def __init__(self, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__("auditor", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.registry = default_registry()
        self.debounce = debounce
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="auditor-audit")
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.published: dict[str, list[Entry]] = {}
        # Each document's registry as of its last audit: its config may declare custom rules.
        self.registries: dict[str, Registry] = {}
        # The config error each document last met, so that one broken file is shown once, not per keystroke.
        self.config_errors: dict[str, str] = {}

    def schedule(self, uri: str, delay: float) -> None:
        """Audit `uri` after `delay` seconds; a newer request for the same document replaces this one."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._audit(uri, delay))

    def forget(self, uri: str) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.published.pop(uri, None)
        self.registries.pop(uri, None)
        self.config_errors.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    async def _audit(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return
        version, encoding = document.version, self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        try:
            outcome = await asyncio.get_running_loop().run_in_executor(
                self.worker, audit_document, self.registry, uri, document.source, document.language_id, encoding
            )
        except Exception as exc:  # a bug in a rule must not take the server down
            log.exception("auditing %s failed", uri)
            self.show(types.MessageType.Error, f"auditor: auditing {uri} failed: {exc}")
            return
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]
        current = self.workspace.text_documents.get(uri)
        if outcome is None or current is None or current.version != version:
            return  # not a page, closed meanwhile, or a newer text is on its way
        self.report_config_error(uri, outcome.config_error)
        self.published[uri] = outcome.entries
        self.registries[uri] = outcome.registry
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=[entry.diagnostic for entry in outcome.entries]
            )
        )

    def report_config_error(self, uri: str, error: str | None) -> None:
        if error is None:
            self.config_errors.pop(uri, None)
            return
        if error not in self.config_errors.values():
            self.show(types.MessageType.Error, f"auditor: {error}")
        self.config_errors[uri] = error

    def show(self, kind: types.MessageType, message: str) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def registry_of(self, uri: str) -> Registry:
        return self.registries.get(uri, self.registry)

    def entries_at(self, uri: str, position: types.Position) -> list[Entry]:
        return [entry for entry in self.published.get(uri, []) if _contains(entry.diagnostic.range, position)]

    def hover_text(self, uri: str, finding: Finding, markdown: bool) -> str:
        registered = self.registry_of(uri).rules.get(finding.rule)
        explanation = registered.explanation() if registered else ""
        if not markdown:
            evidence = f"\nevidence: {finding.evidence}" if finding.evidence else ""
            heading = f"{finding.rule} {finding.name} ({finding.severity.value})"
            return f"{heading}\n{finding.message}{evidence}\n\n{explanation}".rstrip()
        parts = [f"**{finding.rule}** {finding.name} · {finding.severity.value}", _escape(finding.message)]
        if finding.evidence:
            parts.append(f"**Evidence:** {_escape(finding.evidence)}")
        if explanation:
            parts += ["---", explanation]
        return "\n\n".join(parts)

    def supports_markdown_hover(self) -> bool:
        hover = self.client_capabilities.text_document and self.client_capabilities.text_document.hover
        formats = hover.content_format if hover else None
        return not formats or types.MarkupKind.Markdown in formats


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _escape(value: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def build_server(debounce: float = DEBOUNCE_SECONDS) -> AuditorServer:
    server = AuditorServer(debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AuditorServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AuditorServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: AuditorServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AuditorServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: AuditorServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        entries = ls.entries_at(uri, params.position)
        if not entries:
            return None
        markdown = ls.supports_markdown_hover()
        separator = "\n\n---\n\n" if markdown else "\n\n"
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
                value=separator.join(ls.hover_text(uri, entry.finding, markdown) for entry in entries),
            ),
            range=entries[0].diagnostic.range,
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: AuditorServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        only = params.context.only
        if only and not any(kind.startswith(types.CodeActionKind.QuickFix) for kind in only):
            return []
        uri = params.text_document.uri
        document = ls.workspace.text_documents.get(uri)
        if document is None:
            return []
        diagnostics = [d for d in params.context.diagnostics if d.source == SOURCE and isinstance(d.code, str)]
        if not diagnostics:  # a client that sends none: ours on the lines asked about
            asked = range(params.range.start.line, params.range.end.line + 1)
            diagnostics = [e.diagnostic for e in ls.published.get(uri, []) if e.diagnostic.range.start.line in asked]
        return _actions(ls.registry_of(uri), uri, document.source, diagnostics)

    return server


def _actions(registry: Registry, uri: str, source: str, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    seen: set[tuple[str, int]] = set()
    for diagnostic in diagnostics:
        code, line = str(diagnostic.code), diagnostic.range.start.line
        registered = registry.rules.get(code)
        label = f"{code} ({registered.name})" if registered else code
        if (code, line) not in seen:
            seen.add((code, line))
            edit = disable_line_edit(source, line, code)
            if edit is not None:
                actions.append(_action(f"Disable {label} for this line", uri, edit, diagnostic))
        if (code, -1) not in seen:
            seen.add((code, -1))
            actions.append(_action(f"Disable {label} for this file", uri, disable_file_edit(source, code), diagnostic))
    return actions


def _action(title: str, uri: str, edit: types.TextEdit, diagnostic: types.Diagnostic) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


def serve() -> None:
    """Run the server on standard input and output until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="auditor server: %(levelname)s %(message)s")
    warmup.start()  # already under way when started by `auditor server`, before pygls was imported
    build_server().start_io()
