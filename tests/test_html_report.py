"""The HTML report: what it shows, what it tolerates, and that hostile pages run nothing in a browser.

The browser tests open the report in headless Chromium (Debian's `chromium`;
`.ci/run` installs it where apt can) and read the DOM it ends with
(`--dump-dom`). They are skipped, saying why, only where no Chromium is found.
"""

from __future__ import annotations

import base64
import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditor.config import Config
from auditor.engine.auditor import Auditor
from auditor.engine.results import FileResult
from auditor.models import Finding, Severity
from auditor.registry import default_registry
from auditor.report import Report
from auditor.reporters import FORMATS
from auditor.reporters import html as html_report

from .conftest import FIXTURES

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
HOSTILE = FIXTURES / "hostile"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium() -> str | None:
    for name in (os.environ.get("AUDITOR_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


needs_chromium = pytest.mark.skipif(
    chromium() is None, reason="no Chromium found (Debian: apt-get install chromium; .ci/run installs it)"
)


def dump_dom(page: Path, fragment: str = "") -> str:
    """The DOM of `page` after its scripts ran, from headless Chromium with no network."""
    binary = chromium()
    assert binary is not None
    with tempfile.TemporaryDirectory(prefix="auditor-chromium-") as profile:
        url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
        result = subprocess.run(
            [
                binary,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--virtual-time-budget=5000",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<html" in result.stdout, result.stderr[-2000:]
    return result.stdout


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, cwd=cwd, env=env, text=True)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/ plus the hostile pages, one of them under a file name that is itself markup."""
    root = tmp_path_factory.mktemp("hostile-site")
    shutil.copytree(EXAMPLES, root / "examples")
    shutil.copy(HOSTILE / "hostile.md", root / "examples" / "spam" / "hostile.md")
    shutil.copy(HOSTILE / "hostile.html", root / "examples" / "spam" / "hostile.html")
    name = "x\"'><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','file-name')\">.md"
    shutil.copy(HOSTILE / "hostile.md", root / "examples" / "spam" / name)
    return root


@pytest.fixture(scope="module")
def hostile_report(hostile_site: Path) -> tuple[Path, str]:
    result = run_cli("check", "examples", "--format", "html", cwd=hostile_site)
    assert result.returncode == 1, result.stderr
    assert re.search(r"HTML report of [\d.]+ (kB|MB)", result.stderr)
    path = hostile_site / "report.html"
    path.write_text(result.stdout, encoding="utf-8")
    return path, result.stdout


class _Elements(HTMLParser):
    """Every start tag of a document, with its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(document: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(document)
    return parser.tags


# --- the markup itself ---------------------------------------------------------


def test_html_is_a_format() -> None:
    assert "html" in FORMATS


def test_hostile_markup_is_only_text(hostile_report: tuple[Path, str]) -> None:
    _path, document = hostile_report
    tags = elements(document)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts == [{}], "one script: the report's own (a small report keeps page text inline)"
    assert not [tag for tag, _ in tags if tag in ("img", "iframe", "object", "embed", "base", "textarea")]
    assert all(attrs.get("type") == "checkbox" for tag, attrs in tags if tag == "input")
    handlers = [(tag, name) for tag, attrs in tags for name in attrs if name.startswith("on")]
    assert handlers == []
    hrefs = [attrs.get("href") or "" for _tag, attrs in tags if "href" in attrs]
    assert not [h for h in hrefs if not (h.startswith("#") or h.startswith(("https://", "http://")))]
    for tag, attrs in tags:
        if tag == "a" and (attrs.get("href") or "").startswith("http"):
            assert attrs.get("rel") == "noopener noreferrer nofollow", attrs
    # The hostile text is there, as text.
    assert "&lt;/title&gt;&lt;script&gt;" in document
    assert "data-pwned" in document  # escaped inside text, never an attribute (checked above and in the browser)


def test_content_security_policy_forbids_remote_loads_and_allows_only_the_own_script(
    hostile_report: tuple[Path, str],
) -> None:
    _path, document = hostile_report
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', document)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src 'none'" in policy
    assert "connect-src" not in policy  # falls back to default-src 'none'
    script = re.search(r"<script>(.*?)</script>", document, re.S)
    style = re.search(r"<style>(.*?)</style>", document, re.S)
    assert script and style
    assert html_report._sha256(script.group(1)) in policy
    assert html_report._sha256(style.group(1)) in policy
    assert "unsafe-inline" not in policy
    assert document.index("Content-Security-Policy") < document.index("<style>")


def test_every_finding_links_to_its_rule_explained_once(hostile_report: tuple[Path, str]) -> None:
    _path, document = hostile_report
    linked = set(re.findall(r'href="#rule-([A-Z]+\d+)"', document))
    explained = re.findall(r'<details class="rule" id="rule-([A-Z]+\d+)"', document)
    assert linked and linked == set(explained)
    assert len(explained) == len(set(explained))
    assert "What it catches" in document and "auditor explain KS101" in document


# --- in a browser ------------------------------------------------------------------


@needs_chromium
def test_in_chromium_no_injected_script_runs_and_evidence_is_marked(hostile_report: tuple[Path, str]) -> None:
    path, document = hostile_report
    pages = dict(
        re.findall(r'<details class="page" id="(p-\d+)"[^>]*><summary>.*?<span class="path">([^<]*)<', document)
    )
    hostile = next(anchor for anchor, name in pages.items() if name.endswith("spam/hostile.md"))
    for fragment in ("", hostile):
        dom = dump_dom(path, fragment)
        root = re.search(r"<html[^>]*>", dom)
        assert root is not None and "data-pwned" not in root.group(0), root.group(0)
        tags = elements(dom)
        assert not [tag for tag, _ in tags if tag in ("img", "iframe", "object", "embed", "base")]
        assert not [(tag, name) for tag, attrs in tags for name in attrs if name.startswith("on")]
        assert not [attrs["href"] for tag, attrs in tags if (attrs.get("href") or "").lower().startswith("javascript")]
        # The report's script ran: it shows the filters.
        assert any(tag == "form" and attrs.get("id") == "filters" and "hidden" not in attrs for tag, attrs in tags)
        # Evidence is marked in place and labelled with its rule.
        assert re.search(r'<mark class="warning"[^>]*>极光卡</mark>', dom)
        assert re.search(r'<a class="tag \w+" href="#rule-KS101"[^>]*>KS101</a>', dom)
        assert re.search(r"<mark[^>]*>[^<]*深受用户喜爱[^<]*</mark>", dom)
    opened = dump_dom(path, hostile)
    section = re.search(rf'<details class="page" id="{hostile}"[^>]*>', opened)
    assert section is not None and " open" in section.group(0)
    assert re.search(r"<mark[^>]*>加微信号：pwned8866</mark>", opened)


@needs_chromium
def test_in_chromium_escaping_holds_without_the_content_security_policy(
    hostile_report: tuple[Path, str], tmp_path: Path
) -> None:
    """The policy is a second belt: with it removed, the escaping alone must still run nothing."""
    _path, document = hostile_report
    bare = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", document)
    assert bare != document
    page = tmp_path / "no-csp.html"
    page.write_text(bare, encoding="utf-8")
    dom = dump_dom(page)
    root = re.search(r"<html[^>]*>", dom)
    assert root is not None and "data-pwned" not in root.group(0)
    assert "<title>Content audit" in dom


@needs_chromium
def test_in_chromium_a_large_report_unpacks_a_page_when_opened(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, hostile_site: Path
) -> None:
    monkeypatch.setattr(html_report, "LAZY_ABOVE", 0)
    report = audit_folder(hostile_site / "examples")
    out = io.StringIO()
    html_report.render(report, out)
    document = out.getvalue()
    assert "<mark" not in document  # every page's text is packed
    page = tmp_path / "large.html"
    page.write_text(document, encoding="utf-8")
    closed = dump_dom(page)
    assert "<mark" not in closed
    anchor = re.search(r'<details class="page" id="(p-\d+)"[^>]*><summary>.*?esim-topup\.md', document).group(1)
    opened = dump_dom(page, anchor)
    assert re.search(r'<mark class="warning"[^>]*>极光卡</mark>', opened)
    root = re.search(r"<html[^>]*>", opened)
    assert root is not None and "data-pwned" not in root.group(0)


# --- without a browser -------------------------------------------------------------


def audit_folder(folder: Path, **config: object) -> Report:
    registry = default_registry()
    settings = Config(selected=frozenset(registry.rules), **config)  # type: ignore[arg-type]
    paths = sorted(str(p) for p in folder.rglob("*") if p.suffix in (".md", ".html"))
    auditor = Auditor(registry, settings, site=len(paths) > 1, keep_text=True)
    report = Report([auditor.audit_path(p) for p in paths])
    auditor.audit_site(report.files)
    return report


def render(report: Report) -> str:
    out = io.StringIO()
    html_report.render(report, out)
    return out.getvalue()


def section(document: str, name: str) -> str:
    match = re.search(
        rf'<details class="page" id="p-\d+"[^>]*><summary>(?:(?!</details>).)*?{re.escape(name)}.*?</details>',
        document,
        re.S,
    )
    assert match is not None, name
    return match.group(0)


def test_packed_pages_unpack_to_the_inline_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    report = audit_folder(EXAMPLES)
    inline = render(report)
    monkeypatch.setattr(html_report, "LAZY_ABOVE", 0)
    packed = render(report)
    holders = re.findall(
        r'<script type="application/x-auditor-page\+gzip\+base64" id="t-(p-\d+)">([^<]*)</script>', packed
    )
    assert len(holders) == sum(1 for r in report.files if r.findings) > 3
    for anchor, data in holders:
        body = gzip.decompress(base64.b64decode(data)).decode("utf-8")
        assert body in inline, anchor


def test_the_report_shows_the_audited_text_and_never_reads_the_pages_again(tmp_path: Path) -> None:
    for name in ("esim-topup.md", "cheap-vpn.md"):
        shutil.copy(EXAMPLES / "spam" / name, tmp_path / name)
    report = audit_folder(tmp_path)
    (tmp_path / "esim-topup.md").unlink()
    changed = tmp_path / "cheap-vpn.md"
    changed.write_text("# 全新的页面\n\n新加的一段。\n", encoding="utf-8")
    document = render(report)
    gone = section(document, "esim-topup.md")
    assert re.search(r'<mark class="warning"[^>]*>极光卡</mark>', gone)  # marked as it was audited
    assert "PL402" in gone
    edited = section(document, "cheap-vpn.md")
    assert "<mark" in edited and "新加的一段" not in edited
    assert not any(p.name.startswith("report") for p in tmp_path.iterdir())  # nothing written beside the pages


def test_pages_without_their_text_do_not_stop_the_report(tmp_path: Path) -> None:
    page = tmp_path / "a.md"
    page.write_text("# 标题\n\n极光卡是最好的电话卡。\n", encoding="utf-8")
    findings = [
        Finding(
            "UC301",
            "superlative-claim",
            "unverifiable-claims",
            Severity.WARNING,
            str(page),
            3,
            1,
            3,
            1,
            "superlative",
            "极光卡是最好的电话卡。",
        )
    ]
    report = Report([FileResult(str(page), "markdown", "zh", findings)])  # audited without keeping its text
    document = render(report)
    assert "text was not kept" in document and "superlative" in document
    report.files[0].findings.append(
        Finding("IO001", "unreadable-file", "io", Severity.WARNING, str(page), 1, 1, 1, 1, "unreadable", "")
    )
    assert "could not be read when it was audited" in render(report)


def test_density_chart_uses_the_rule_limits_from_the_config() -> None:
    report = audit_folder(EXAMPLES / "spam")
    document = render(report)
    assert "limit 8%" in document and "error 15%" in document
    report = audit_folder(EXAMPLES / "spam", options={"KS101": {"limit": 0.05, "error_limit": 0.2}})
    document = render(report)
    assert "limit 5%" in document and "error 20%" in document
    esim = section(document, "esim-topup.md")
    assert '<text class="lbl"' in esim and "极光卡" in esim and "23.8%" in esim


# The six pages of a keyword-template farm: one heading skeleton, one keyword a page.
FARM_NAMES = ["星桥", "银河", "飞鸟", "海豚", "山猫", "白鹭"]


def _skeleton_farm(folder: Path) -> Path:
    skeleton = (
        "# {k}官网地址\n\n## {k}介绍\n\n{k}是一家机场。\n\n"
        "## {k}优惠码\n\n优惠码：SAVE{n}\n\n## {k}价格\n\n每月{n}元。\n"
    )
    for n, name in enumerate(FARM_NAMES):
        (folder / f"{n}.md").write_text(skeleton.format(k=name, n=n), encoding="utf-8")
    return folder


def test_site_findings_are_grouped(tmp_path: Path) -> None:
    report = audit_folder(_skeleton_farm(tmp_path))
    groups = {(f.rule, f.group) for r in report.files for f in r.findings if f.group}
    assert ("TS201", "{K}介绍 / {K}优惠码 / {K}价格") in groups
    document = render(report)
    site = document[document.index('<section id="site">') : document.index('<section id="pages">')]
    assert '<details class="grp"' in site and "<b>6 pages</b>" in site
    assert site.count('<li><a href="#p-') >= 6
    assert "keyword ‘星桥’" in site


def test_no_findings_is_a_short_clean_report(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Release notes\n\nThis release fixes two bugs.\n", encoding="utf-8")
    document = render(audit_folder(tmp_path))
    assert "every page is clean" in document
    assert '<details class="page"' not in document


def test_site_rules_give_each_member_its_detail(tmp_path: Path) -> None:
    report = audit_folder(_skeleton_farm(tmp_path))
    members = {Path(r.path).name: f.member for r in report.files for f in r.findings if f.rule == "TS201"}
    assert members == {f"{n}.md": f"keyword ‘{name}’" for n, name in enumerate(FARM_NAMES)}
    assert not any(f.member for r in report.files for f in r.findings if not f.group)  # page rules leave it empty


def test_a_member_detail_comes_from_the_finding_not_its_wording(tmp_path: Path) -> None:
    def promo(path: str, member: str) -> Finding:
        return Finding(
            "PL408",
            "promo-destination-across-site",
            "promo-links",
            Severity.ERROR,
            path,
            1,
            1,
            1,
            1,
            "a shop linked on 2 pages of the site, worded with no quotes",  # nothing to read a detail from
            "‘a quoted evidence’ shop.example.com on 2 pages",
            group="shop.example.com",
            member=member,
        )

    report = Report(
        [
            FileResult(str(tmp_path / "a.md"), "markdown", "en", [promo(str(tmp_path / "a.md"), "‘cheap tees’")]),
            FileResult(str(tmp_path / "b.md"), "markdown", "en", [promo(str(tmp_path / "b.md"), "")]),
        ]
    )
    document = render(report)
    site = document[document.index('<section id="site">') : document.index('<section id="pages">')]
    assert '<span class="dim">‘cheap tees’</span>' in site
    listed = site[site.index('<ol class="members">') :]
    assert listed.count('<span class="dim">') == 1  # the member without a detail shows none
    assert "a quoted evidence" not in site
    assert all(f.member not in f.to_dict().values() for r in report.files for f in r.findings if f.member)
