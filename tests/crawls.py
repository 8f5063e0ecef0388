"""Test inputs for crawl-scale runs: the site-rule cases as a site of files, and WARC files built with warcio."""

from __future__ import annotations

import io
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).parent / "rules"
SITE_RULES = ("TS201", "TS202", "PL408")


def site_pages() -> dict[str, str]:
    """Every case of the site rules that must report something, one folder per case: `case/page.md` → text."""
    pages: dict[str, str] = {}
    for code in SITE_RULES:
        spec = yaml.safe_load((RULES_DIR / f"{code}.yml").read_text(encoding="utf-8"))
        for case in spec["cases"]:
            if case["expect"]:
                for name, text in case["pages"].items():
                    pages[f"{code}-{case['name']}/{name}"] = text
    return pages


def write_site(root: Path) -> Path:
    for name, text in site_pages().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def as_html(markdown: str) -> str:
    """A Markdown page as the HTML page a site generator would serve (front-matter title in <title>)."""
    from markdown_it import MarkdownIt

    title = ""
    if markdown.startswith("---\n"):
        front, _, markdown = markdown[4:].partition("\n---\n")
        title = (yaml.safe_load(front) or {}).get("title", "")
    body = MarkdownIt().render(markdown)
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>\n"


def write_warc(path: Path, responses: list[tuple[str, bytes, str]]) -> Path:
    """A WARC (gzipped when the name ends in .gz) of HTTP responses (uri, body, content type), each
    preceded by its request record, as crawlers write them."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for uri, body, content_type in responses:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.test")], is_http_request=True)
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            )
    return path


def site_warc(path: Path) -> Path:
    """The site-rule cases as a crawl: each page as HTML under https://example.test/…, in path order."""
    responses = [
        (f"https://example.test/{name.removesuffix('.md')}/", as_html(text).encode(), "text/html; charset=utf-8")
        for name, text in sorted(site_pages().items())
    ]
    return write_warc(path, responses)


def sorted_findings(report_files: list[dict]) -> list[dict]:
    """The findings of a JSON report (its `files`), each with its path, in one fixed order."""
    import json

    rows = [dict(finding, path=entry["path"]) for entry in report_files for finding in entry["findings"]]
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False))
