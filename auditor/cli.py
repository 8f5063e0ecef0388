"""The `auditor` command: check, rules, explain.

Exit status: 0 when nothing at or above `--fail-on` was found, 1 when
something was, 2 for a usage or configuration error.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor import __version__
from auditor.cache import ENV_VAR, ResultCache, cache_folder
from auditor.config import ConfigError, load_config
from auditor.discovery import discover
from auditor.engine import Auditor
from auditor.registry import default_registry
from auditor.report import Report
from auditor.reporters import FORMATS
from auditor.runner import PageJob, default_jobs, run
from auditor.sources import PageSource

app = typer.Typer(
    name="auditor",
    help="Audit static-site pages (Markdown, HTML; Chinese, English) for SEO spam and promo traits.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

OutputFormat = Enum("OutputFormat", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"auditor: error: {message}", err=True)
    return typer.Exit(2)


def _split(values: list[str] | None) -> list[str]:
    return [part for value in values or [] for part in value.split(",") if part.strip()]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Audit static-site pages for keyword stuffing, templated sections, unverifiable claims and promo links."""


@app.command()
def check(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Files and folders to audit (default: .).")] = None,  # noqa: UP045
    select: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--select", help="Only these rules: codes, names, check names or prefixes (comma-separated)."),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--ignore", help="Skip these rules, on top of the config's ignore list."),
    ] = None,
    config: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--config", help="Use this auditor.toml or pyproject.toml instead of searching for one."),
    ] = None,
    fail_on: Annotated[
        Optional[FailOn],  # noqa: UP045
        typer.Option("--fail-on", help="Lowest severity that makes the exit status 1 (default: error)."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "--output-format", help="Report format.")
    ] = OutputFormat["text"],  # type: ignore[misc]
    jobs: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--jobs", "-j", min=1, help="Worker processes for the pages (default: one per core)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Audit every page again; neither read nor write the cache.")
    ] = False,
    cache_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--cache-dir",
            help=f"Where to keep the cache (default: ${ENV_VAR}, else .auditor_cache at the project root).",
        ),
    ] = None,
) -> None:
    """Audit pages and report findings."""
    targets = paths or ["."]
    registry = default_registry()
    try:
        settings = load_config(
            registry,
            config_file=config,
            start=Path(targets[0]),
            select=_split(select) or None,
            ignore=_split(ignore),
            fail_on=fail_on.value if fail_on else None,
        )
    except ConfigError as exc:
        raise _fail(str(exc)) from None

    files = discover(targets, settings)
    site = len(files) > 1
    cache = None if no_cache else ResultCache.open(cache_folder(settings, cache_dir), registry, settings, site)
    sources = [PageSource(path) for path in files]
    results = run(sources, PageJob(settings, site), jobs or default_jobs(), cache, registry)
    report = Report(list(results))
    Auditor(registry, settings, site=site).audit_site(report.files)
    color = output_format.value == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    FORMATS[output_format.value](report, sys.stdout, color)
    raise typer.Exit(1 if report.fails(settings.fail_on) else 0)


@app.command()
def rules(
    as_json: Annotated[bool, typer.Option("--json", help="Print the rules as JSON.")] = False,
) -> None:
    """List every rule: code, name, check, default severity and what it reports."""
    registry = default_registry()
    if as_json:
        listing = [
            {
                "code": r.code,
                "name": r.name,
                "check": r.check.name,
                "severity": r.rule.default_severity.value,
                "summary": r.rule.summary(),
            }
            for r in registry
        ]
        typer.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    for r in registry:
        typer.echo(f"{r.code:7} {r.name:28} {r.check.name:20} {r.rule.default_severity.value:8} {r.rule.summary()}")


@app.command()
def explain(rule: Annotated[str, typer.Argument(help="A rule code or name, e.g. KS101 or term-density.")]) -> None:
    """Explain a rule: what it catches, why it matters, how to fix or silence it, with an example."""
    registered = default_registry().find(rule) or default_registry().find(rule.upper())
    if registered is None:
        raise _fail(f"no rule is called {rule!r}; `auditor rules` lists them")
    r = registered.rule
    typer.echo(f"{r.code} ({r.name}), check {registered.check.name}, default severity {r.default_severity.value}\n")
    typer.echo(r.docs())
    if r.options:
        typer.echo("\nDefaults: " + ", ".join(f"{k.replace('_', '-')} = {v!r}" for k, v in r.options.items()))


def main() -> None:
    app()
