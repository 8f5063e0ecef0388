"""Word lists kept as package data, one file per list and language.

A file `data/<name>.<lang>.txt` holds one entry a line. A line starting with
"# " is a comment (each file names its purpose and source in its header), so
entries such as "#1" stay possible. Lists are read once
per process with importlib.resources.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def words(package: str, name: str, lang: str) -> tuple[str, ...]:
    """Entries of `<package>/data/<name>.<lang>.txt`, or none when there is no such file."""
    resource = resources.files(package).joinpath("data", f"{name}.{lang}.txt")
    if not resource.is_file():
        return ()
    return parse(resource.read_text(encoding="utf-8"))


def parse(text: str) -> tuple[str, ...]:
    """The entries of a word-list file's text: one a line, "# " comments and blank lines left out."""
    entries = []
    for raw in text.splitlines():
        entry = raw.strip()
        if entry and entry != "#" and not entry.startswith("# "):
            entries.append(entry)
    return tuple(entries)


def all_languages(package: str, name: str) -> tuple[str, ...]:
    """Entries of a list in every language it exists in (for patterns that cross languages)."""
    return words(package, name, "zh") + words(package, name, "en")
