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

A symlink met in the walk whose target resolves outside the folder being
walked (the argument it was found under) is never read: it is returned as an
`OutsideLink`, a str that the engine reports as IO010, naming the link only.
Otherwise a pull request adding `docs/x.md -> /some/secret` would put the
secret's lines in CI logs and SARIF. A page link and a folder link alike get
one finding; a file named on the command line is read wherever it points.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pathspec

from auditor.config import Config
from auditor.input import warc
from auditor.input.sources import PageSource, format_of

ALWAYS_SKIPPED = frozenset({".git", ".hg", ".svn", "node_modules", ".auditor_cache", "__pycache__", ".venv"})


class OutsideLink(str):
    """A discovered path that is a symlink to something outside the walked folder: reported, not read.

    A str, so that it travels like any path through the engines (lists, partitions, pickles)."""

    __slots__ = ()


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
    found: dict[str, bool] = {}  # path: whether it is a link out of its tree
    explicit: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for walked in _walk(path, config):
                shown = os.path.normpath(walked)  # "./a.md" is reported as "a.md"
                found[shown] = found.get(shown, True) and isinstance(walked, OutsideLink)
        else:
            # Named explicitly: audited even when its suffix or an exclude says otherwise (or it
            # links out of the tree), and when it does not exist the engine reports that as a finding.
            explicit.add(str(path))
    for path in explicit:
        found[path] = False
    # Found inside one tree and outside another (nested arguments): read, as the inner walk allows it.
    return [OutsideLink(path) if outside else path for path, outside in sorted(found.items())]


def _walk(root: Path, config: Config) -> Iterable[str]:
    inherited: list[tuple[Path, pathspec.PathSpec]] = []
    for ancestor in reversed(_real(root).parents):
        spec = _gitignore(ancestor)
        if spec is not None:
            inherited.append((ancestor, spec))
    # Each folder travels with its resolved path: an entry that is no symbolic link resolves to
    # that path and its name, so only links are resolved one by one (a resolve is a dozen calls).
    tree = _real(root)
    stack: list[tuple[Path, Path, list[tuple[Path, pathspec.PathSpec]]]] = [(root, tree, inherited)]
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
            link = entry.is_symlink()
            resolved = _real(path) if link else resolved_folder / entry.name
            if link and not resolved.is_relative_to(tree):
                # Out of the tree: judged by the link's own name, never by its target's.
                if _link_wanted(entry, resolved_folder / entry.name, config, specs):
                    yield OutsideLink(entry.path)
                continue
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


def _link_wanted(
    entry: os.DirEntry[str], own: Path, config: Config, specs: list[tuple[Path, pathspec.PathSpec]]
) -> bool:
    """Whether a link out of the tree would have been audited (a page) or walked (a folder) if it
    pointed inside: only then is it reported. Excludes and ignore files match the link's own path
    (`own`: its folder resolved, and its name), as its target is none of the tree's business."""
    try:
        folder = entry.is_dir()  # follows the link: a folder link, as opposed to a page link
    except OSError:
        folder = False
    if folder:
        return (
            entry.name not in ALWAYS_SKIPPED and not config.excluded(entry.path, own) and not _ignored(own, True, specs)
        )
    return bool(format_of(entry.name)) and not config.excluded(entry.path, own) and not _ignored(own, False, specs)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def sources(paths: Iterable[str]) -> Iterator[PageSource]:
    """The pages of discovered paths, in order: a file is one page, a WARC each of its HTML responses."""
    for path in paths:
        if isinstance(path, OutsideLink):
            yield PageSource(path, outside=True)
        elif warc.is_warc(path):
            yield from warc.pages(path)
        else:
            yield PageSource(path)


def looks_across_pages(paths: list[str]) -> bool:
    """Whether a run of these paths audits more than one page, so that site rules apply."""
    return len(paths) > 1 or any(warc.is_warc(path) for path in paths)
