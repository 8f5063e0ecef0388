"""From bytes on disk to text: encodings and front matter.

Encodings are tried in the order real static sites need: a byte-order mark
wins, then an HTML `<meta charset>` declaration, then UTF-8, then the legacy
Chinese encodings (GB18030, a superset of GBK and GB2312, and Big5).
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
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


def read_bytes(path: str, limit: int) -> tuple[bytes, int]:
    """The bytes of the page file at `path`, at most `limit` + 1 of them (0: all), and the file's size.

    Raises LoadError saying why when there is nothing to read: a missing file
    (perhaps deleted during the run), a broken symlink or a symlink loop, a
    folder (discovery hands over folders it could not list), or something
    that is not a regular file and could block or never end (a FIFO, a device).
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise LoadError(_missing(path, exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            raise LoadError(f"is a folder that cannot be listed ({exc.strerror}); nothing in it was audited") from exc
        raise LoadError("is a folder, not a page")
    if not stat.S_ISREG(info.st_mode):
        raise LoadError("is not a regular file (a FIFO, socket or device), so it was not read")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1) if limit else handle.read()
    except OSError as exc:
        raise LoadError(f"cannot be read: {exc.strerror or exc}") from exc
    return data, max(info.st_size, len(data))


def _missing(path: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symlink loop"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return f"is a broken symlink (to {os.fsdecode(os.readlink(path))!r}, which does not exist)"
    if exc.errno == errno.ENOENT:
        return "does not exist (or was deleted during the run)"
    return f"cannot be read: {exc.strerror or exc}"


def cut_bytes(data: bytes, limit: int) -> bytes:
    """The first `limit` bytes of `data`, ended at the last whole line, else before a cut character."""
    head = data[:limit]
    newline = head.rfind(b"\n")
    if newline >= limit // 2:
        return head[: newline + 1]
    # One huge line: drop a UTF-8 character cut in two (its lead byte and up to two continuation bytes).
    start = len(head)
    while start > 0 and len(head) - start < 3 and 0x80 <= head[start - 1] < 0xC0:
        start -= 1
    if start > 0 and head[start - 1] >= 0xC0:
        lead = head[start - 1]
        length = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        if len(head) - (start - 1) < length:
            return head[: start - 1]
    return head


def printable_path(path: str) -> str:
    """`path` as reports can print it: bytes of a name that is not UTF-8 shown as `\\xNN`.

    Names come from the file system through `os.fsdecode`, which keeps bad
    bytes as lone surrogates; those cannot be written as UTF-8 or JSON.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return path


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
# Legacy Chinese encodings, tried when the bytes are not (mostly) UTF-8.
_LEGACY = ("gb18030", "big5")
# Control characters that never occur in text files; their presence means binary.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    # What was wrong with the bytes although they could be read (UTF-16 without BOM,
    # bytes that are not UTF-8), for a finding; None when they were clean.
    problem: str | None = None
    problem_line: int = 1


def decode(data: bytes, fmt: str, charset: str | None = None) -> tuple[str, str]:
    """Return the text and the name of the encoding it was read with (see `decode_text`)."""
    decoded = decode_text(data, fmt, charset)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, fmt: str, charset: str | None = None) -> Decoded:
    """The text of a page's bytes, and what was wrong with them.

    `charset` is one declared outside the bytes (an HTTP header of a crawled
    page); it comes before the page's own `<meta charset>`. Bytes that are
    mostly UTF-8 with a few bad ones (a paragraph pasted from a GBK file, a
    truncated character) are read as UTF-8 with U+FFFD in place of the bad
    bytes, and the problem says on which lines: the rest of the page is still
    audited. Raises LoadError when the bytes are not text at all.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                if encoding != "utf-8-sig":
                    raise LoadError(
                        f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}"
                    ) from exc
                return _lenient_utf8(data[len(bom) :], "utf-8-sig")
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise LoadError(f"looks like {utf16.upper()} without a byte-order mark but is not: {exc.reason}") from exc
        endian = "little" if utf16.endswith("le") else "big"
        return Decoded(
            text,
            utf16,
            f"is UTF-16 ({endian}-endian) without a byte-order mark; browsers and site generators read it as "
            "garbage; save it as UTF-8",
        )
    if _BINARY.search(data[:8192]):
        raise LoadError("looks binary (it holds control bytes), not a text page")
    declared = [_known_codec(charset), _declared_charset(data) if fmt == "html" else None]
    for encoding in [name for name in declared if name] + ["utf-8"]:
        try:
            return Decoded(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    good, bad_lines = _utf8_lines(data)
    if good >= len(bad_lines):
        return _lenient_utf8(data, "utf-8", bad_lines)
    for encoding in _LEGACY:
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    return _lenient_utf8(data, "utf-8", bad_lines)


# Share of NUL bytes at odd (or even) offsets above which text is UTF-16 without a
# byte-order mark: every ASCII character has a NUL half there, and binary files
# spread their NULs over both.
_UTF16_NULS, _UTF16_STRAY = 0.3, 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:8192]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= _UTF16_NULS * half and even <= _UTF16_STRAY * half:
        return "utf-16-le"
    if even >= _UTF16_NULS * half and odd <= _UTF16_STRAY * half:
        return "utf-16-be"
    return None


def _utf8_lines(data: bytes) -> tuple[int, list[int]]:
    """How many non-ASCII lines are valid UTF-8, and the numbers of those that are not."""
    good, bad = 0, []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad.append(number)
    return good, bad


def _lenient_utf8(data: bytes, encoding: str, bad_lines: list[int] | None = None) -> Decoded:
    if bad_lines is None:
        bad_lines = _utf8_lines(data)[1]
    lines = data.split(b"\n")
    legacy = all(_is_legacy(lines[n - 1]) for n in bad_lines)
    shown = ", ".join(map(str, bad_lines[:5])) + (f" and {len(bad_lines) - 5} more" if len(bad_lines) > 5 else "")
    where = f"line{'s' if len(bad_lines) > 1 else ''} {shown}"
    why = "they look like GB18030/GBK, so the file mixes encodings" if legacy else "those bytes were read as U+FFFD"
    return Decoded(
        data.decode("utf-8", errors="replace"),
        encoding,
        f"is not valid UTF-8 on {where}: {why}; save the whole file as UTF-8",
        bad_lines[0] if bad_lines else 1,
    )


def _is_legacy(line: bytes) -> bool:
    try:
        line.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


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
        data = _load_yaml(raw) if _FENCES[fence] == "yaml" else tomllib.loads(raw)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError) as exc:
        front.error = f"front matter is not valid {_FENCES[fence].upper()}: {str(exc).splitlines()[0]}"
        # Still read its plain `key: value` lines, so the title of a page with
        # a stray tab or quote in its front matter is audited all the same.
        front.data = _plain_pairs(lines[:index])
        return front, body
    if isinstance(data, dict):
        front.data = data
    return front, body


# Nodes a YAML document may expand to once its aliases are followed. Front matter
# holds a few dozen; an alias bomb ("billion laughs") billions.
MAX_YAML_NODES = 10_000


class YamlBomb(yaml.YAMLError):
    """YAML whose aliases expand it far beyond any front matter, or into itself."""


# libyaml's parser when PyYAML was built with it: a tenth of the pure-Python parser's time,
# which was a twentieth of a whole run on sites with front matter on every page.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(raw: str) -> Any:
    """`yaml.safe_load`, but refusing documents that aliases blow up (checked before anything is built)."""
    if "\t" in raw:  # libyaml lets tabs pass where PyYAML rejects them: keep one verdict everywhere
        return _compose_and_construct(yaml.SafeLoader, raw)
    try:
        return _compose_and_construct(_FAST_LOADER, raw)
    except YamlBomb:
        raise
    except yaml.YAMLError:
        if _FAST_LOADER is yaml.SafeLoader:
            raise
    # Parsed again by the pure-Python parser, whose messages say more (and the same on every machine).
    return _compose_and_construct(yaml.SafeLoader, raw)


def _compose_and_construct(loader_class: type, raw: str) -> Any:
    loader = loader_class(raw)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expansion(root: yaml.Node) -> None:
    """Count the nodes of `root` with every alias expanded, without expanding them: each shared node once."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[id(node)] > MAX_YAML_NODES:
                raise YamlBomb(f"its aliases expand it to more than {MAX_YAML_NODES:,} values (a YAML bomb?)")
            continue
        if id(node) in open_nodes:
            raise YamlBomb("an alias refers to the value that contains it")
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _plain_pairs(lines: list[str]) -> dict[str, Any]:
    pairs: dict[str, Any] = {}
    for line in lines:
        match = _PLAIN_PAIR.match(line)
        if match:
            pairs.setdefault(match.group(1), match.group(2).strip().strip("'\""))
    return pairs
