"""The language server, driven as an editor drives it: the real `python -m auditor server` over stdio.

One server process serves the module (each test opens its own documents);
the start-up latency is measured by benchmarks/lsp_latency.py, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditor.lsp.server import disable_file_edit, disable_line_edit
from auditor.registry import docs_url

from .conftest import FIXTURES
from .lsp_client import LspClient

EXAMPLES = Path(__file__).parents[1] / "examples"
# The Chinese spam twin, with a character outside the BMP (two UTF-16 code
# units, one character) in the title before the handle the title finding points at.
SPAM = (FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8").replace("星河卡充值教程", "𠮷星河卡充值教程", 1)
CLEAN = "# Release notes\n\nThis release fixes two bugs in the config loader.\n"
# (code, 0-based line) of each finding of SPAM, in order: `auditor check` on it, lines less one.
SPAM_FINDINGS = [
    ("PV501", 0),
    ("PL402", 1),
    ("TS101", 4),
    ("TS102", 6),
    ("UC302", 6),
    ("UC301", 6),
    ("UC304", 10),
    ("UC303", 10),
    ("PL401", 26),
    ("PL401", 26),
    ("UC301", 30),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="module")
def server(workspace: Path) -> Iterator[LspClient]:
    with (workspace / "server.log").open("wb") as log:
        client = LspClient(cwd=workspace, stderr=log)
        client.initialize(workspace)
        yield client
        client.close()


def page(folder: Path, name: str, text: str) -> str:
    """Write a page (so the config above it applies) and return its URI."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path.as_uri()


def codes(diagnostics: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(d["code"], d["range"]["start"]["line"]) for d in diagnostics]


def apply(text: str, edit: dict[str, Any]) -> str:
    """Apply one of the server's insertions (they all start a line) to `text`."""
    start, end = edit["range"]["start"], edit["range"]["end"]
    assert start == end and start["character"] == 0, edit
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: start["line"]])
    return text[:offset] + edit["newText"] + text[offset:]


def test_initialize_advertises_sync_hover_and_quick_fixes(server: LspClient) -> None:
    capabilities = server.capabilities
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["textDocumentSync"] == {"openClose": True, "change": 1, "save": True}
    assert capabilities["hoverProvider"] is True
    assert capabilities["codeActionProvider"] == {"codeActionKinds": ["quickfix"]}


def test_a_spam_page_gets_its_findings_as_diagnostics(server: LspClient, workspace: Path) -> None:
    uri = page(workspace, "docs/spam.md", SPAM)
    server.open(uri, SPAM)
    diagnostics = server.diagnostics(uri)

    assert codes(diagnostics) == SPAM_FINDINGS
    for diagnostic in diagnostics:
        assert diagnostic["source"] == "auditor"
        assert diagnostic["severity"] == 1  # every finding of this page is an error
        assert diagnostic["codeDescription"] == {"href": docs_url()}
    assert docs_url().endswith("README.md#rules")
    assert diagnostics[0]["message"].startswith("reads as promotion (score ")
    title = diagnostics[1]
    assert title["message"].startswith("a messaging contact in the title")
    assert title["message"].endswith("\nevidence: @xinghe_sim")

    # Columns are UTF-16 code units: 𠮷 counts two, so the handle starts one unit later than its character index.
    line = SPAM.split("\n")[1]
    at = line.index("@xinghe_sim")
    utf16 = len(line[:at].encode("utf-16-le")) // 2
    assert utf16 == at + 1
    assert title["range"] == {
        "start": {"line": 1, "character": utf16},
        "end": {"line": 1, "character": utf16 + len("@xinghe_sim")},
    }


def test_hover_on_a_diagnostic_shows_its_evidence_and_the_rule_explained(server: LspClient, workspace: Path) -> None:
    uri = page(workspace, "docs/hover.md", SPAM)
    server.open(uri, SPAM)
    title = next(d for d in server.diagnostics(uri) if d["code"] == "PL402")
    inside = {"line": 1, "character": title["range"]["start"]["character"] + 3}

    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": inside})

    assert hover["contents"]["kind"] == "markdown"
    text = hover["contents"]["value"].replace("\\", "")  # markdown escapes
    assert "**PL402** link-in-title · error" in text
    assert "Evidence:** @xinghe_sim" in text
    assert "PL402 (link-in-title), check promo-links, default severity error" in text  # `auditor explain`
    assert "**What it catches**" in text
    assert hover["range"] == title["range"]

    nowhere = {"line": 3, "character": 0}
    assert server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": nowhere}) is None


def test_quick_fixes_insert_disable_comments_that_silence_the_finding(server: LspClient, workspace: Path) -> None:
    uri = page(workspace, "docs/fix.md", SPAM)
    server.open(uri, SPAM)
    diagnostics = server.diagnostics(uri)
    contact = next(d for d in diagnostics if d["code"] == "PL401")

    actions = server.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": contact["range"], "context": {"diagnostics": [contact]}},
    )

    assert [a["title"] for a in actions] == [
        "Disable PL401 (messaging-contact) for this line",
        "Disable PL401 (messaging-contact) for this file",
    ]
    assert all(a["kind"] == "quickfix" and a["diagnostics"] == [contact] for a in actions)
    [line_edit] = actions[0]["edit"]["changes"][uri]
    assert line_edit == {
        "range": {"start": {"line": 26, "character": 0}, "end": {"line": 26, "character": 0}},
        "newText": "<!-- auditor-disable-next-line PL401 -->\n",
    }

    # Applied as an editor would, the comment silences both contacts of that line and nothing else.
    fixed = apply(SPAM, line_edit)
    server.change(uri, fixed, version=2)
    after = server.notification("textDocument/publishDiagnostics", uri=uri, version=2)["diagnostics"]
    shifted = [(code, line + (line >= 26)) for code, line in SPAM_FINDINGS if code != "PL401"]
    assert codes(after) == shifted

    # The whole-file fix goes into the page's YAML front matter.
    title = next(d for d in after if d["code"] == "PL402")
    actions = server.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": title["range"], "context": {"diagnostics": [title]}},
    )
    [file_edit] = next(a for a in actions if a["title"].endswith("for this file"))["edit"]["changes"][uri]
    assert file_edit["newText"] == "auditor: {disable: [PL402]}\n"
    server.change(uri, apply(fixed, file_edit), version=3)
    last = server.notification("textDocument/publishDiagnostics", uri=uri, version=3)["diagnostics"]
    assert "PL402" not in [code for code, _ in codes(last)]
    # PL402 goes, and the page verdict it tipped over the threshold with it.
    assert [code for code, _ in codes(last)] == [code for code, _ in codes(after) if code not in ("PL402", "PV501")]


def test_a_change_to_clean_text_clears_the_diagnostics(server: LspClient, workspace: Path) -> None:
    uri = page(workspace, "docs/cleaned.md", SPAM)
    server.open(uri, SPAM)
    assert server.diagnostics(uri)
    server.change(uri, CLEAN, version=2)
    assert server.notification("textDocument/publishDiagnostics", uri=uri, version=2)["diagnostics"] == []


def test_changes_are_debounced_and_the_latest_text_wins(server: LspClient, workspace: Path) -> None:
    uri = page(workspace, "docs/typing.md", SPAM)
    server.open(uri, SPAM)
    assert codes(server.diagnostics(uri)) == SPAM_FINDINGS  # jieba is loaded: audits take milliseconds now

    # A burst of edits, sent together well inside the 300 ms pause: only the last is published,
    # and not before the pause is over.
    for version, text in enumerate([SPAM, CLEAN, SPAM], start=2):
        server.change(uri, text, version, flush=False)
    sent = time.monotonic()
    server.change(uri, SPAM.replace("TG @xinghe_sim", "TG"), version=5)

    final = server.notification("textDocument/publishDiagnostics", uri=uri, version=5)["diagnostics"]
    assert time.monotonic() - sent >= 0.3
    # The last text has no handle in its title.
    assert codes(final) == [finding for finding in SPAM_FINDINGS if finding != ("PL402", 1)]
    earlier = [m for m in server.unclaimed("textDocument/publishDiagnostics") if m["params"]["uri"] == uri]
    assert earlier == []


def test_config_is_resolved_per_document(server: LspClient, workspace: Path) -> None:
    (workspace / "quiet").mkdir()
    (workspace / "quiet" / "auditor.toml").write_text('ignore = ["messaging-contact"]\n', encoding="utf-8")
    quiet = page(workspace, "quiet/spam.md", SPAM)
    plain = page(workspace, "plain/spam.md", SPAM)

    server.open(quiet, SPAM)
    server.open(plain, SPAM)

    assert "PL401" not in [code for code, _ in codes(server.diagnostics(quiet))]
    assert codes(server.diagnostics(plain)) == SPAM_FINDINGS


def test_a_save_audits_again_with_the_config_as_it_now_is(server: LspClient, workspace: Path) -> None:
    uri = page(workspace, "saved/spam.md", SPAM)
    server.open(uri, SPAM)
    assert codes(server.diagnostics(uri)) == SPAM_FINDINGS

    (workspace / "saved" / "auditor.toml").write_text('ignore = ["unverifiable-claims"]\n', encoding="utf-8")
    server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})

    assert codes(server.diagnostics(uri)) == [(c, n) for c, n in SPAM_FINDINGS if not c.startswith("UC")]


def test_an_invalid_config_is_shown_as_a_message_not_a_crash(server: LspClient, workspace: Path) -> None:
    (workspace / "broken").mkdir()
    (workspace / "broken" / "auditor.toml").write_text('colour = "red"\n', encoding="utf-8")
    uri = page(workspace, "broken/spam.md", SPAM)

    server.open(uri, SPAM)

    message = server.notification("window/showMessage")
    assert message["type"] == 1  # error
    assert "unknown key 'colour'" in message["message"]
    assert server.diagnostics(uri) == []
    # Shown once, not at every audit; and the server goes on serving.
    server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert server.diagnostics(uri) == []
    assert server.unclaimed("window/showMessage") == []
    other = page(workspace, "elsewhere/spam.md", SPAM)
    server.open(other, SPAM)
    assert codes(server.diagnostics(other)) == SPAM_FINDINGS


def test_a_custom_rules_findings_are_explained_on_hover_and_named_in_quick_fixes(
    server: LspClient, workspace: Path
) -> None:
    (workspace / "house").mkdir()
    (workspace / "house" / "auditor.toml").write_text(
        '[[custom-rules]]\ncode = "XY301"\nname = "house-words"\nkind = "existence"\n'
        'message = "‘{match}’ is not our word"\ndescription = "The style guide says kettle."\n'
        'tokens = ["tea urn"]\n',
        encoding="utf-8",
    )
    text = "# Kitchen\n\nThe tea urn is by the door.\n"
    uri = page(workspace, "house/kitchen.md", text)
    server.open(uri, text)
    [diagnostic] = server.diagnostics(uri)
    assert (diagnostic["code"], diagnostic["message"]) == ("XY301", "‘tea urn’ is not our word\nevidence: tea urn")
    assert diagnostic["range"]["start"] == {"line": 2, "character": 4}

    hover = server.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 6}}
    )
    text_shown = hover["contents"]["value"].replace("\\", "")
    assert "XY301 (house-words), check custom, default severity warning" in text_shown
    assert "The style guide says kettle." in text_shown

    actions = server.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}},
    )
    assert [a["title"] for a in actions] == [
        "Disable XY301 (house-words) for this line",
        "Disable XY301 (house-words) for this file",
    ]


def test_an_untitled_buffer_is_audited_with_the_defaults(server: LspClient) -> None:
    uri = "untitled:Untitled-1"
    server.open(uri, SPAM)
    assert codes(server.diagnostics(uri)) == SPAM_FINDINGS


def test_an_html_page_gets_the_findings_the_command_line_reports(server: LspClient, workspace: Path) -> None:
    source = EXAMPLES / "spam" / "exchange-bonus.html"
    text = source.read_text(encoding="utf-8")
    uri = page(workspace, "site/exchange-bonus.html", text)

    server.open(uri, text, language="html")
    diagnostics = server.diagnostics(uri)

    result = subprocess.run(
        [sys.executable, "-m", "auditor", "check", "--format", "json", str(source)], capture_output=True, text=True
    )
    [report] = json.loads(result.stdout)["files"]
    expected = [(f["rule"], f["line"] - 1, f["column"] - 1) for f in report["findings"]]  # all BMP text
    assert expected
    assert [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in diagnostics] == expected


def test_shutdown_and_exit_end_the_process_cleanly(tmp_path: Path) -> None:
    client = LspClient(cwd=tmp_path)
    client.initialize(tmp_path)
    assert client.close() == 0


# The edits behind the quick fixes, on the page shapes they must not break.


def test_the_line_fix_keeps_indentation_and_line_endings() -> None:
    edit = disable_line_edit("# Title\r\n\r\n- list\r\n    - 最好的卡\r\n", 3, "UC301")
    assert edit is not None
    assert edit.range.start.line == 3 and edit.range.start.character == 0
    assert edit.new_text == "    <!-- auditor-disable-next-line UC301 -->\r\n"


def test_the_line_fix_in_front_matter_is_a_yaml_comment() -> None:
    source = "---\ntitle: Buy now @shop\ndescription: |\n  more text\n---\n\nBody\n"
    edit = disable_line_edit(source, 1, "PL402")
    assert edit is not None and edit.new_text == "# <!-- auditor-disable-next-line PL402 -->\n"
    assert disable_line_edit(source, 0, "IO002") is None  # the fence itself
    assert disable_line_edit(source, 3, "KS104") is None  # inside a multi-line value


@pytest.mark.parametrize(
    ("source", "line", "new_text"),
    [
        ("# Title\n\nBody\n", 0, "<!-- auditor-disable KS101 -->\n"),
        ("<!doctype html>\r\n<html></html>\r\n", 0, "<!-- auditor-disable KS101 -->\r\n"),
        ("---\ntitle: T\n---\nBody\n", 1, "auditor: {disable: [KS101]}\n"),
        ('+++\ntitle = "T"\n[params]\nx = 1\n+++\nBody\n', 1, 'auditor = { disable = ["KS101"] }\n'),
        ("---\nauditor:\n  disable: [PL401]\n---\nBody\n", 1, "# <!-- auditor-disable KS101 -->\n"),
    ],
)
def test_the_file_fix_uses_front_matter_when_there_is_some(source: str, line: int, new_text: str) -> None:
    edit = disable_file_edit(source, "KS101")
    assert (edit.range.start.line, edit.range.start.character, edit.new_text) == (line, 0, new_text)
