"""Finding the pages to audit.

Folders are walked recursively for Markdown and HTML files. `.git`,
`node_modules` and the config's excludes are skipped, and every `.gitignore`
met on the way down is honoured for the folder it sits in. A file named
explicitly on the command line is always audited. The result is sorted, so
output order never depends on the file system. A WARC file (a web crawl) is
audited when named explicitly; `sources` turns it into one page per HTML
response, in record order.

What cannot be walked is handed on, for the engine to report rather than
skip in silence: a folder that cannot be listed is returned as if it were a
page, and so is anything with a page's name that is not a plain file (a
broken symlink, a symlink loop, a FIFO). Symlinked folders are not followed,
so a symlink loop among folders cannot trap the walk.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pathspec

from auditor import warc
from auditor.config import Config
from auditor.parsing import format_of
from auditor.sources import PageSource

ALWAYS_SKIPPED = frozenset({".git", ".hg", ".svn", "node_modules", ".auditor_cache", "__pycache__", ".venv"})


def _gitignore(folder: Path) -> pathspec.PathSpec | None:
    ignore_file = folder / ".gitignore"
    try:
        lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _real(path: Path) -> Path:
    """The resolved path, or the absolute one when it cannot be resolved (a symlink loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return path.absolute()


def _ignored(path: Path, is_dir: bool, specs: list[tuple[Path, pathspec.PathSpec]]) -> bool:
    for base, spec in specs:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        if spec.match_file(relative):
            return True
    return False


def discover(paths: Iterable[str], config: Config) -> list[str]:
    """The files to audit under `paths`, sorted, without duplicates."""
    found: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.update(os.path.normpath(p) for p in _walk(path, config))  # "./a.md" is reported as "a.md"
        else:
            # Named explicitly: audited even when its suffix or an exclude says otherwise,
            # and when it does not exist the engine reports that as a finding.
            found.add(str(path))
    return sorted(found)


def _walk(root: Path, config: Config) -> Iterable[str]:
    inherited: list[tuple[Path, pathspec.PathSpec]] = []
    for ancestor in reversed(_real(root).parents):
        spec = _gitignore(ancestor)
        if spec is not None:
            inherited.append((ancestor, spec))
    # Each folder travels with its resolved path: an entry that is no symbolic link resolves to
    # that path and its name, so only links are resolved one by one (a resolve is a dozen calls).
    stack: list[tuple[Path, Path, list[tuple[Path, pathspec.PathSpec]]]] = [(root, root.resolve(), inherited)]
    while stack:
        folder, resolved_folder, specs = stack.pop()
        own = _gitignore(folder)
        if own is not None:
            specs = [*specs, (resolved_folder, own)]
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            yield str(folder)  # the engine reports why it cannot be listed
            continue
        for entry in entries:
            path = Path(entry.path)
            resolved = _real(path) if entry.is_symlink() else resolved_folder / entry.name
            if _is_dir(entry):
                if entry.name in ALWAYS_SKIPPED or config.excluded(entry.path, resolved):
                    continue
                if not _ignored(resolved, True, specs):
                    stack.append((path, resolved, specs))
            elif (
                format_of(entry.name)
                and not config.excluded(entry.path, resolved)
                and not _ignored(resolved, False, specs)
            ):
                yield entry.path  # a plain file, or something the engine will say it cannot read


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def sources(paths: Iterable[str]) -> Iterator[PageSource]:
    """The pages of discovered paths, in order: a file is one page, a WARC each of its HTML responses."""
    for path in paths:
        if warc.is_warc(path):
            yield from warc.pages(path)
        else:
            yield PageSource(path)


def looks_across_pages(paths: list[str]) -> bool:
    """Whether a run of these paths audits more than one page, so that site rules apply."""
    return len(paths) > 1 or any(warc.is_warc(path) for path in paths)
