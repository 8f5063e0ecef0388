"""From bytes on disk to text: encodings and front matter.

Encodings are tried in the order real static sites need: a byte-order mark
wins, then an HTML `<meta charset>` declaration, then UTF-8, then the legacy
Chinese encodings (GB18030, a superset of GBK and GB2312, and Big5).
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class LoadError(Exception):
    """A file that cannot be turned into text; the message says why, for the report."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_FALLBACKS = ("utf-8", "gb18030", "big5")
# Control characters that never occur in text files; their presence means binary.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes, fmt: str, charset: str | None = None) -> tuple[str, str]:
    """Return the text and the name of the encoding it was read with.

    `charset` is one declared outside the bytes (an HTTP header of a crawled
    page); it comes before the page's own `<meta charset>`.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise LoadError(
                    f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}"
                ) from exc
    if _BINARY.search(data[:8192]):
        raise LoadError("looks binary (it holds control bytes), not a text page")
    candidates = list(_FALLBACKS)
    declared = [_known_codec(charset), _declared_charset(data) if fmt == "html" else None]
    candidates[:0] = [name for name in declared if name]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise LoadError("is not valid text in UTF-8, UTF-16 (with BOM), GB18030/GBK or Big5")


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return _known_codec(match.group(1).decode("ascii")) if match else None


def _known_codec(name: str | None) -> str | None:
    """The codec a declared charset names, or None when Python knows no such codec."""
    if not name:
        return None
    name = name.strip().lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    # GB2312 and GBK pages routinely use characters only GB18030 has.
    return "gb18030" if name in ("gb2312", "gbk", "x-gbk") else name


@dataclass
class FrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    # Lines the front matter takes, fences included; the body starts after them.
    line_count: int = 0
    # 1-based line of each top-level key, to point findings at it.
    key_lines: dict[str, int] = field(default_factory=dict)
    error: str | None = None


_FENCES = {"---": "yaml", "+++": "toml"}
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]")
_PLAIN_PAIR = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=][ \t]*(\S.*)$")


def split_front_matter(source: str) -> tuple[FrontMatter, str]:
    """Split YAML (`---`) or TOML (`+++`) front matter off the top of a page.

    The body keeps its line numbers: the front matter's lines are replaced
    by empty lines rather than removed.
    """
    first, _, rest = source.partition("\n")
    fence = first.rstrip()
    if fence not in _FENCES:
        return FrontMatter(), source
    lines = rest.split("\n")
    index = next((i for i, line in enumerate(lines) if line.rstrip() == fence), None)
    if index is None:
        return FrontMatter(), source
    raw = "\n".join(lines[:index])
    line_count = index + 2
    body = "\n" * line_count + "\n".join(lines[index + 1 :])
    front = FrontMatter(line_count=line_count)
    for offset, line in enumerate(lines[:index]):
        key = _TOP_KEY.match(line)
        if key:
            front.key_lines.setdefault(key.group(1), offset + 2)
    try:
        data = _yaml(raw) if _FENCES[fence] == "yaml" else tomllib.loads(raw)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError) as exc:
        front.error = f"front matter is not valid {_FENCES[fence].upper()}: {str(exc).splitlines()[0]}"
        # Still read its plain `key: value` lines, so the title of a page with
        # a stray tab or quote in its front matter is audited all the same.
        front.data = _plain_pairs(lines[:index])
        return front, body
    if isinstance(data, dict):
        front.data = data
    return front, body


# libyaml's loader builds the same values several times faster. It accepts tabs
# where the pure-Python loader refuses them, so front matter with a tab goes to
# the pure-Python loader; so does any that libyaml refuses, so the error
# reported is always the pure-Python loader's own.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _yaml(raw: str) -> Any:
    if _FAST_LOADER is not None and "\t" not in raw:
        try:
            return yaml.load(raw, Loader=_FAST_LOADER)  # CSafeLoader: a safe loader
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.safe_load(raw)


def _plain_pairs(lines: list[str]) -> dict[str, Any]:
    pairs: dict[str, Any] = {}
    for line in lines:
        match = _PLAIN_PAIR.match(line)
        if match:
            pairs.setdefault(match.group(1), match.group(2).strip().strip("'\""))
    return pairs
