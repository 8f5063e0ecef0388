"""The Python API: audit paths or a text from a program, with the engine of your choice.

    import auditor
    report = auditor.audit_paths(["docs/"])                       # a Report, as `auditor check docs/`
    findings = auditor.audit_text("# Title\n…", filename="a.md")  # the findings of one page

`auditor/__init__.py` exposes these lazily, so `import auditor` stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from auditor.config import Config, load_config
from auditor.engine.cache import ResultCache
from auditor.engine.phases import Settings, auditor_for
from auditor.engine.results import FileResult
from auditor.engine.runner import run
from auditor.input.discovery import discover, looks_across_pages, sources
from auditor.input.sources import format_of
from auditor.models import Finding
from auditor.registry import default_registry
from auditor.report import Report

ENGINES = ("local", "dask")


def load_settings(
    paths: Sequence[str],
    config: Config | str | os.PathLike[str] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
) -> Config:
    """The run's config: `config` itself when given as a Config, else the file it names, else the
    nearest config file above the first path; then `select` and `ignore` on top."""
    if isinstance(config, Config):
        return config
    return load_config(
        default_registry(),
        config_file=Path(config) if config is not None else None,
        start=Path(paths[0]) if paths else Path.cwd(),
        select=list(select) if select else None,
        ignore=list(ignore),
    )


def audit_paths(
    paths: Sequence[str | os.PathLike[str]],
    config: Config | str | os.PathLike[str] | None = None,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    engine: str = "local",
    scheduler: str | None = None,
    partition_size: int | None = None,
    jobs: int = 1,
    keep_text: bool = False,
) -> Report:
    """Audit files, folders and WARC files as `auditor check` does, and return the Report.

    `config`: a Config, the path of an `auditor.toml` or `pyproject.toml`, or
    None to search above the first path. `engine="dask"` runs on a Dask
    cluster (`pip install 'auditor[dask]'`): the one at `scheduler`, or a
    local one sized to the machine; the local engine audits in `jobs` worker
    processes. `keep_text`: each result carries its page's text, which the
    HTML report shows and rdjson measures columns with. Raises ConfigError for
    a bad config and WarcError for an unreadable WARC.
    """
    return Report(
        list(
            audit_stream(
                paths,
                config,
                select=select,
                ignore=ignore,
                engine=engine,
                scheduler=scheduler,
                partition_size=partition_size,
                jobs=jobs,
                keep_text=keep_text,
            )
        )
    )


def audit_stream(
    paths: Sequence[str | os.PathLike[str]],
    config: Config | str | os.PathLike[str] | None = None,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    engine: str = "local",
    scheduler: str | None = None,
    partition_size: int | None = None,
    jobs: int = 1,
    keep_text: bool = False,
) -> Iterator[FileResult]:
    """The results of `audit_paths`, one page at a time in report order (the Dask engine streams them)."""
    targets = [os.fspath(p) for p in paths] or ["."]
    settings = load_settings(targets, config, select, ignore)
    files = discover(targets, settings)
    yield from audit_files(
        files,
        settings,
        engine=engine,
        scheduler=scheduler,
        partition_size=partition_size,
        jobs=jobs,
        keep_text=keep_text,
    )


def audit_files(
    files: list[str],
    settings: Config,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    partition_size: int | None = None,
    jobs: int = 1,
    cache: ResultCache | None = None,
    on_page: Callable[[], None] | None = None,
    keep_text: bool = False,
) -> Iterator[FileResult]:
    """The results of discovered `files` (pages, and WARC files of pages), in report order.

    The local engine audits in `jobs` worker processes and reads and fills
    `cache`; `on_page` is called as each page's own phase ends, for a progress bar.
    `keep_text`: each result carries its page's text, for the reports that need it
    (`auditor.reporters.NEEDS_TEXT`); a `cache` must be opened with it too.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    run = Settings(settings, site=looks_across_pages(files), keep_text=keep_text)
    if engine == "dask":
        from auditor.engine.dask import audit_files as on_dask

        yield from on_dask(files, run, scheduler=scheduler, partition_size=partition_size)
    else:
        yield from audit_local(files, run, jobs, cache, on_page)


def audit_local(
    files: list[str],
    settings: Settings,
    jobs: int = 1,
    cache: ResultCache | None = None,
    on_page: Callable[[], None] | None = None,
) -> list[FileResult]:
    """Both phases on this machine: each page (from the cache, here or in a pool of `jobs`
    worker processes), then the site phase over all of them."""
    results = []
    for result in run(list(sources(files)), settings, jobs, cache):
        results.append(result)
        if on_page is not None:
            on_page()
    auditor_for(settings).audit_site(results)
    return results


def audit_text(
    text: str, filename: str = "page.md", config: Config | str | os.PathLike[str] | None = None
) -> list[Finding]:
    """The findings of one page given as text; `filename` names it and its suffix sets the format
    (`.html`/`.htm`: HTML, anything else Markdown). Site rules need several pages and do not run.
    With no `config`, every rule runs with its defaults."""
    if config is None:
        settings = Config(selected=frozenset(default_registry().rules))
    else:
        settings = load_settings([filename], config)
    fmt = format_of(filename) or "markdown"
    return auditor_for(Settings(settings, site=False)).audit_text(filename, text, fmt).findings
