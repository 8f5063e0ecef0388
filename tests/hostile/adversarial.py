"""Worst-case text for the auditor's regular expressions and word lists.

Every compiled pattern of the package and every word list is taken apart
(with the `re` module's own parser) for the characters it matches, and fed
long runs of them, runs of two of them in turn, and almost-matches: its
literal parts, or each list entry, without their last character, over and
over. A pattern that backtracks catastrophically takes quadratic (or worse)
time on one of these. Used by tests/test_adversarial.py and
benchmarks/adversarial.py.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from collections.abc import Iterator
from pathlib import Path

try:  # the parser of the `re` module: public as sre_parse before Python 3.11
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

import auditor_checks

import auditor
from auditor.text.matching import PhraseMatcher

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# The engine's package and the built-in checks' (installed as `auditor_checks` from `checks/`).
PACKAGES = (auditor, auditor_checks)
# Characters every pattern is also tried with: separators, markup and scripts page text is full of.
COMMON = " \n\t.,:;/-_@#%&?!'\"()[]{}<>*|=+~`\\aA0中。，、：！？…·"
ALPHABET_LIMIT = 64


def optional_modules() -> frozenset[str]:
    """Top-level modules of the optional extras in pyproject.toml (not `test`): `dask[distributed]` gives both."""
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names: set[str] = set()
    for extra, requirements in project.get("optional-dependencies", {}).items():
        if extra == "test":
            continue
        for requirement in requirements:
            match = re.match(r"\s*([A-Za-z0-9_.-]+)(?:\[([^\]]*)\])?", requirement)
            if match:
                names.add(match[1].replace("-", "_").lower())
                names.update(n.strip().replace("-", "_").lower() for n in (match[2] or "").split(",") if n.strip())
    return frozenset(names)


def module_patterns() -> dict[str, re.Pattern]:
    """Every compiled pattern held at module level in the auditor packages, by `module.NAME`.

    A module whose optional dependency is not installed (`auditor.engine.dask` without the `dask`
    extra) is skipped; any other import error is raised.
    """
    found: dict[str, re.Pattern] = {}
    optional = optional_modules()
    modules = (info for package in PACKAGES for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."))
    for info in modules:
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0].lower() in optional:
                continue
            raise
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{info.name}.{name}"] = value
    return found


def word_lists() -> dict[str, tuple[str, ...]]:
    """Every word list shipped as package data, by its path."""
    lists = {}
    for package in PACKAGES:
        root = Path(package.__file__).parent
        for path in sorted(root.glob("**/data/*.txt")):
            lines = path.read_text(encoding="utf-8").splitlines()
            entries = tuple(line.strip() for line in lines if line.strip() and not line.startswith("# "))
            lists[f"{package.__name__}/{path.relative_to(root)}"] = entries
    return lists


def list_matchers() -> dict[str, PhraseMatcher]:
    return {name: PhraseMatcher(entries) for name, entries in word_lists().items()}


def _walk(nodes: object) -> Iterator[tuple[object, object]]:
    """(opcode, argument) of every node of a parsed pattern, nested ones (groups, repeats, classes) included."""
    for node in nodes:  # type: ignore[attr-defined]
        if isinstance(node, sre_parse.SubPattern):
            yield from _walk(node)
        elif isinstance(node, tuple) and len(node) == 2 and type(node[0]).__name__ == "_NamedIntConstant":
            yield node
            if isinstance(node[1], (list, tuple, sre_parse.SubPattern)):
                yield from _walk(node[1])
        elif isinstance(node, (list, tuple)):
            yield from _walk(node)


def parsed(pattern: re.Pattern) -> object:
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    return sre_parse.parse(source, pattern.flags & ~re.UNICODE if isinstance(pattern.pattern, bytes) else pattern.flags)


def alphabet(pattern: re.Pattern) -> str:
    """The characters a pattern names: its literals, the ends and middle of its ranges, class representatives."""
    chars: dict[str, None] = {}
    for op, av in _walk(parsed(pattern)):
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL"):
            chars[chr(av)] = None  # type: ignore[arg-type]
        elif name == "RANGE":
            low, high = av  # type: ignore[misc]
            for code in (low, (low + high) // 2, high):
                chars[chr(code)] = None
        elif name == "CATEGORY":
            chars.update(dict.fromkeys("x7 _\n中"))
    return "".join(list(chars)[:ALPHABET_LIMIT])


def literal_runs(pattern: re.Pattern) -> list[str]:
    """The runs of consecutive literal characters in a pattern, in order."""
    runs: list[str] = []
    current: list[str] = []
    for op, av in _walk(parsed(pattern)):
        if str(op) == "LITERAL":
            current.append(chr(av))  # type: ignore[arg-type]
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def worst_cases(chars: str, almost: list[str], run: int, pairs: int) -> Iterator[str]:
    """Long runs of each character, runs of two characters in turn, and repeated almost-matches."""
    chars = "".join(dict.fromkeys(chars + COMMON))
    for char in chars:
        yield char * run
    for first, second in zip(chars, chars[1:] + chars[:1], strict=True):
        yield (first + second) * (pairs // 2)
        yield (first + " ") * (pairs // 2)
    for prefix in almost:
        if prefix:
            yield prefix * (pairs // len(prefix) + 1)
            yield (prefix + " ") * (pairs // (len(prefix) + 1) + 1)


def pattern_worst_cases(pattern: re.Pattern, run: int = 100_000, pairs: int = 10_000) -> Iterator[str]:
    runs = literal_runs(pattern)
    almost = [whole[:-1] for whole in ["".join(runs), *runs] if len(whole) > 1]
    yield from worst_cases(alphabet(pattern), almost, run, pairs)


def list_worst_cases(entries: tuple[str, ...], run: int = 20_000, pairs: int = 10_000) -> Iterator[str]:
    chars = "".join(dict.fromkeys("".join(entries)))[:ALPHABET_LIMIT]
    almost = [entry[:-1] for entry in entries if len(entry) > 1]
    yield from worst_cases(chars, ["".join(almost), " ".join(almost), *almost[:20]], run, pairs)


def worst_case_page(size: int) -> str:
    """A page of `size` characters made of worst cases for every pattern and list, in turn."""
    pieces: list[str] = []
    for entries in word_lists().values():
        pieces.extend(list_worst_cases(entries, run=200, pairs=400))
    for pattern in module_patterns().values():
        if isinstance(pattern.pattern, str):
            pieces.extend(pattern_worst_cases(pattern, run=200, pairs=400))
    page, total = [], 0
    while total < size:
        for piece in pieces:
            page.append(piece + "\n")
            total += len(piece) + 1
            if total >= size:
                break
    return "".join(page)
