"""The `auditor` command: check, rules, explain, server, init, cache clean.

Exit status: 0 when nothing at or above `--fail-on` was found, 1 when
something was, 2 for a usage or configuration error.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor import __version__
from auditor.api import ENGINES, audit_files
from auditor.cli import baseline
from auditor.cli.progress import progress
from auditor.cli.starter import InitError, write_starter
from auditor.config import Config, ConfigError, load_config
from auditor.engine.cache import ENV_VAR, ResultCache, cache_folder
from auditor.engine.phases import Settings, build
from auditor.engine.results import FileResult
from auditor.engine.runner import default_jobs
from auditor.input.discovery import discover
from auditor.input.sources import PageSource
from auditor.input.warc import WarcError
from auditor.kinds import registry_for
from auditor.registry import Registry, default_registry
from auditor.report import Report
from auditor.reporters import FINDINGS_ONLY, FORMATS, NEEDS_TEXT, STATISTICS, STREAMED
from auditor.reporters.text import summary_line

app = typer.Typer(
    name="auditor",
    help="Audit static-site pages (Markdown, HTML; Chinese, English) for SEO spam and promo traits.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

OutputFormat = Enum("OutputFormat", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]
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
    output_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output-file", "-o", help="Write the report to this file; the terminal still gets the summary line."
        ),
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print how many findings each rule gave instead of the findings.")
    ] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when findings at or above --fail-on were reported.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print the findings and nothing else: no summary line, no progress bar."),
    ] = False,
    baseline_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--baseline", help="Report only findings that are not in this baseline file."),
    ] = None,
    write_baseline: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--write-baseline", help="Record the findings of this run in this baseline file, and exit 0."),
    ] = None,
    stdin_filename: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--stdin-filename",
            help="Read the page from standard input under this name, which picks its format and config.",
        ),
    ] = None,
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
    if baseline_file and write_baseline:
        raise _fail("--baseline and --write-baseline cannot be combined; rewrite the baseline with --write-baseline")
    try:
        known = baseline.load(baseline_file) if baseline_file else None
    except baseline.BaselineError as exc:
        raise _fail(str(exc)) from None
    from_stdin = paths == ["-"] or (stdin_filename is not None and not paths)
    if not from_stdin and (stdin_filename is not None or "-" in (paths or [])):
        raise _fail("standard input (-, --stdin-filename) cannot be combined with other paths")
    targets = [stdin_filename or "-"] if from_stdin else paths or ["."]
    registry = default_registry()
    try:
        settings = load_config(
            registry,
            config_file=config,
            start=Path(targets[0]) if targets != ["-"] else Path.cwd(),
            select=_split(select) or None,
            ignore=_split(ignore),
            fail_on=fail_on.value if fail_on else None,
        )
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    registry = registry_for(settings)
    if engine.value == "dask" and importlib.util.find_spec("distributed") is None:
        raise _fail("--engine dask needs Dask: pip install 'auditor[dask]'")

    # Only the reports that show or measure the pages' text have the engine keep it.
    keep_text = output_format.value in NEEDS_TEXT and not statistics
    if from_stdin:
        report = _read_stdin(registry, settings, stdin_filename, keep_text)
    else:
        files = discover(targets, settings)
        folder = cache_folder(settings, cache_dir)
        run = _Run(
            engine.value,
            scheduler,
            partition_size,
            jobs or default_jobs(),
            None if no_cache else ResultCache.open(folder, registry, settings, len(files) > 1, keep_text),
            keep_text,
        )
        streamed = STREAMED.get(output_format.value)
        if streamed is not None and not (baseline_file or write_baseline or statistics or output_file):
            # json-lines with nothing to do across the whole report: written page by page as results arrive.
            fails = False
            for result in _results(files, settings, run):
                streamed(result, sys.stdout)
                fails = fails or any(f.severity.rank >= settings.fail_on.rank for f in result.findings)
            if run.cache is not None:
                run.cache.prune()
            raise typer.Exit(1 if fails and not exit_zero else 0)
        report = _audit(files, settings, run, quiet)
        if run.cache is not None:
            run.cache.prune()  # at the end of the run, when no worker reads the cache any more
    if write_baseline:
        try:
            recorded = baseline.write(report, write_baseline)
        except baseline.BaselineError as exc:
            raise _fail(str(exc)) from None
        if not quiet:
            typer.echo(f"Wrote {recorded} finding{'s' if recorded != 1 else ''} to the baseline {write_baseline}.")
        raise typer.Exit(0)
    if known is not None and baseline_file is not None:
        report.baselined = baseline.apply(report, known, baseline_file)
    _emit(report, output_format.value, output_file, statistics, quiet)
    raise typer.Exit(1 if report.fails(settings.fail_on) and not exit_zero else 0)


def _read_stdin(registry: Registry, settings: Config, name: str | None, keep_text: bool) -> Report:
    """One page from standard input, named by --stdin-filename (its suffix picks the format); no site rules."""
    page = PageSource(str(Path(name)) if name else "-", data=sys.stdin.buffer.read())
    return Report([build(Settings(settings, site=False, keep_text=keep_text), registry).audit_source(page)])


@dataclass(frozen=True)
class _Run:
    """Where and how the pages are audited: the engine and its options."""

    engine: str
    scheduler: str | None
    partition_size: int | None
    jobs: int
    cache: ResultCache | None
    keep_text: bool = False


def _results(
    files: list[str], settings: Config, run: _Run, on_page: Callable[[], None] | None = None
) -> Iterator[FileResult]:
    """The page results in report order, from the chosen engine; a bad WARC or a lost cluster is exit 2."""
    try:
        yield from audit_files(
            files,
            settings,
            engine=run.engine,
            scheduler=run.scheduler,
            partition_size=run.partition_size,
            jobs=run.jobs,
            cache=run.cache,
            on_page=on_page,
            keep_text=run.keep_text,
        )
    except WarcError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:  # the cluster could not be reached or was lost; files that fail to read are findings
        if run.engine != "dask":
            raise
        raise _fail(f"--engine dask: {exc}") from None


def _audit(files: list[str], settings: Config, run: _Run, quiet: bool) -> Report:
    """The discovered pages, both phases, with a progress bar where it helps."""
    with progress(len(files), enabled=not quiet) as bar:
        return Report(list(_results(files, settings, run, bar.advance)))


def _emit(report: Report, fmt: str, output_file: Path | None, statistics: bool, quiet: bool) -> None:
    """Render the report to standard output or to `output_file`.

    The text formats end with a summary line, left out with `--quiet`; with
    `--output-file` the terminal gets that summary line on standard output
    (unless `--quiet`), and the file gets the whole report.
    """
    if statistics:
        renderer = STATISTICS.get(fmt, STATISTICS["text"])
        with_summary = renderer is STATISTICS["text"] and not quiet
    else:
        renderer = FINDINGS_ONLY[fmt] if quiet and fmt in FINDINGS_ONLY else FORMATS[fmt]
        with_summary = False
    if output_file is None:
        color = fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        renderer(report, sys.stdout, color)
        if with_summary:
            typer.echo(summary_line(report))
        return
    try:
        with output_file.open("w", encoding="utf-8", newline="\n") as out:
            renderer(report, out, False)
            if with_summary:
                out.write(summary_line(report) + "\n")
    except OSError as exc:
        raise _fail(f"cannot write the report to {output_file}: {exc.strerror or exc}") from None
    if not quiet:
        typer.echo(summary_line(report))


def _project_registry() -> Registry:
    """The installed checks plus the custom rules of the config found from the working folder."""
    try:
        return registry_for(load_config(default_registry(), start=Path.cwd()))
    except ConfigError as exc:
        raise _fail(str(exc)) from None


@app.command()
def rules(
    as_json: Annotated[bool, typer.Option("--json", help="Print the rules as JSON.")] = False,
) -> None:
    """List every rule: code, name, check, default severity and what it reports."""
    registry = _project_registry()
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
    registry = _project_registry()
    registered = registry.find(rule) or registry.find(rule.upper())
    if registered is None:
        raise _fail(f"no rule is called {rule!r}; `auditor rules` lists them")
    typer.echo(registered.explanation())


@app.command()
def server(
    stdio: Annotated[
        bool, typer.Option("--stdio", help="Speak over standard input and output (the default and only transport).")
    ] = True,
) -> None:
    """Start the language server for editors (LSP over stdio): diagnostics, hover, quick fixes."""
    from auditor.engine import warmup

    warmup.start()  # jieba's dictionary loads while pygls is imported and the client says hello
    from auditor.lsp.server import serve  # pygls is imported by this command only

    serve()


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Where to write the config (default: .).")] = Path("."),
    pyproject: Annotated[
        bool, typer.Option("--pyproject", help="Append a [tool.auditor] section to pyproject.toml instead.")
    ] = False,
) -> None:
    """Write a commented starter config: auditor.toml, or [tool.auditor] in pyproject.toml."""
    if not folder.is_dir():
        raise _fail(f"{folder} is not a folder")
    try:
        written = write_starter(default_registry(), folder, pyproject)
    except (InitError, OSError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"Wrote a starter config to {written}; `auditor check` reads it.")


cache_app = typer.Typer(help="Manage the cache of page results.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("clean")
def cache_clean(
    cache_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--cache-dir",
            help=f"The cache to remove (default: ${ENV_VAR}, else .auditor_cache at the project root).",
        ),
    ] = None,
    config: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--config", help="Config file whose project root holds the cache (default: found from .)."),
    ] = None,
) -> None:
    """Remove the cache folder (found as `check` finds it) and say what was removed."""
    try:
        settings = load_config(default_registry(), config_file=config, start=Path.cwd())
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    folder = cache_folder(settings, cache_dir)
    if not folder.exists():
        typer.echo(f"No cache at {folder}: nothing to remove.")
        return
    if not (folder / "CACHEDIR.TAG").is_file():
        # Only a folder this tool made is removed: --cache-dir may be pointing at the wrong place.
        raise _fail(f"{folder} has no CACHEDIR.TAG of auditor, so it is not removed; delete it yourself if it is")
    files, size = 0, 0
    for entry in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if entry.is_file():
                files += 1
                size += entry.stat().st_size
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise _fail(f"cannot remove {folder}: {exc.strerror or exc}") from None
    typer.echo(f"Removed the cache {folder}: {files:,} file{'s' if files != 1 else ''}, {size:,} bytes.")


def main() -> None:
    app()
