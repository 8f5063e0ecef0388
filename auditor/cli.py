"""The `auditor` command: check, rules, explain.

Exit status: 0 when nothing at or above `--fail-on` was found, 1 when
something was, 2 for a usage or configuration error.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor import __version__
from auditor.api import ENGINES, audit_stream
from auditor.config import ConfigError, load_config
from auditor.registry import default_registry
from auditor.report import Report
from auditor.reporters import FORMATS
from auditor.streaming import STREAMED
from auditor.warc import WarcError

app = typer.Typer(
    name="auditor",
    help="Audit static-site pages (Markdown, HTML; Chinese, English) for SEO spam and promo traits.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

OutputFormat = Enum("OutputFormat", {name: name for name in [*FORMATS, *STREAMED]}, type=str)  # type: ignore[misc]
Engine = Enum("Engine", {name: name for name in ENGINES}, type=str)  # type: ignore[misc]


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
    engine: Annotated[
        Engine, typer.Option("--engine", help="Where to run: this process, or a Dask cluster (auditor[dask]).")
    ] = Engine["local"],  # type: ignore[misc]
    scheduler: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--scheduler", help="With --engine dask: the scheduler's address (default: a local cluster)."),
    ] = None,
    partition_size: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--partition-size", min=1, help="With --engine dask: pages per task of the page phase."),
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
    if engine.value == "dask" and importlib.util.find_spec("distributed") is None:
        raise _fail("--engine dask needs Dask: pip install 'auditor[dask]'")

    results = audit_stream(targets, settings, engine=engine.value, scheduler=scheduler, partition_size=partition_size)
    write = STREAMED.get(output_format.value)
    fails = False
    report = Report()
    try:
        for result in results:
            fails = fails or any(f.severity.rank >= settings.fail_on.rank for f in result.findings)
            if write is not None:
                write(result, sys.stdout)
            else:
                report.files.append(result)
    except WarcError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:  # the cluster could not be reached or was lost; files that fail to read are findings
        if engine.value != "dask":
            raise
        raise _fail(f"--engine dask: {exc}") from None
    if write is None:
        color = output_format.value == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        FORMATS[output_format.value](report, sys.stdout, color)
    raise typer.Exit(1 if fails else 0)


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
