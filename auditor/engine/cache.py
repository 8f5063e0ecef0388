"""The cache of page results: what the page phase found in a file, kept until the file changes.

An entry holds what the site phase and the report need of one page: its
format and language, its findings, each site rule's signature of it and its
suppressions. It is stored under a key that changes whenever anything the
page phase depends on changes:

- the file's bytes, its format, the charset declared for it, and its path as
  the report names it (a message may name the page);
- the rules selected for that path and the effective config: severities,
  rule options, watch and allow terms, and whether the run looks across pages;
- the auditor's version and a stamp of its installed files, and of the files
  of every check installed from another package (so an edit to an editable
  install is never served stale results), the name and version of
  every installed check and of the package providing it, the segmenter
  (jieba or jieba_fast) and the Python version.

Entries are JSON, never pickle: a cache folder may come from elsewhere (a CI
cache restored from another branch, a folder copied between machines), and
reading it must never run code. Signatures are plain data (numbers, strings,
tuples, arrays) and the dataclasses or named tuples of the checks that made
them; a class is only ever looked up, never imported, among the modules of
the installed checks, and only dataclasses and named tuples are rebuilt. An
entry that cannot be read, does not parse, or holds anything else is a miss:
the page is audited again and the entry written anew. Writes go to a
temporary file renamed over the entry, so a reader never sees half an entry
and two runs writing one entry at once leave one whole.

Layout: `<folder>/v<FORMAT>/<stamp>/<settings>/<key[:2]>/<key>.json`, beside
a `CACHEDIR.TAG` and a `.gitignore` that keep the folder out of backups and
commits. `<stamp>` is the code the results came from (the auditor's version
and files, the checks, the segmenter, Python); `<settings>` the run's
effective config (severities, options, terms, whether it looks across pages).

Pruning, at the end of each run (`prune`), must cost a few milliseconds
however large the cache, so it never lists entries on the common path:

- results of other code can never be read again: every `v<N>` folder of
  another format and every stamp folder but this run's is deleted, for at
  most `REMOVAL_BUDGET` per run (deletes are slow on some disks), the rest
  by the next runs;
- a settings folder's `.used` file is touched by each run that uses it; only
  the `KEEP_SETTINGS` most recently used are kept (and none unused for
  `STALE_DAYS`), so runs with changing config do not grow the cache without
  bound; one evicted is deleted whole (a run makes at most one);
- reading an entry touches its mtime when it is over a day old (one `fstat`
  per read, a write at most once a day), so mtime is when a run last read
  or wrote it. Entries not read for `STALE_DAYS` are found by a scan of the
  stamp folder, which runs only when its `.scanned` file is over a day old:
  a cost spread over a day of runs, not paid by each.

Nothing is deleted in a folder without the `CACHEDIR.TAG` this module
writes, so a `--cache-dir` pointed at the wrong folder loses nothing.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from array import array
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.config import Config
from auditor.engine.results import FileResult
from auditor.engine.suppression import Suppressions
from auditor.input.sources import PageSource
from auditor.models import Block, Density, Finding, PageText, Severity, Span, TermBar
from auditor.registry import Registry
from auditor.text import segmenter

FORMAT = 6  # bump when the layout of an entry or of the folder changes
FOLDER_NAME = ".auditor_cache"
ENV_VAR = "AUDITOR_CACHE_DIR"
STALE_DAYS = 30  # an entry no run has read for this long is removed
KEEP_SETTINGS = 4  # settings folders kept per stamp, the most recently used
REMOVAL_BUDGET = 0.02  # seconds a run spends at most deleting other stamps' and layouts' folders
_DAY = 86_400.0
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by auditor; see its README.\n"


def cache_folder(config: Config, given: str | os.PathLike[str] | None = None) -> Path:
    """Where the cache lives: `--cache-dir`, else $AUDITOR_CACHE_DIR, else `.auditor_cache`
    at the project root (the folder of the config file, or the working folder)."""
    if given:
        return Path(given)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return config.root / FOLDER_NAME


class ResultCache:
    """Page results on disk, keyed by everything they depend on. Small and picklable, for workers."""

    def __init__(self, folder: Path, fingerprint: str, config: Config, stamp: str | None = None) -> None:
        self.folder = Path(folder)
        # `stamp`: the code's part of `fingerprint`, the folder that pruning keeps; None: the fingerprint's.
        self.stamp = stamp or fingerprint[:16]
        self.entries = self.folder / f"v{FORMAT}" / self.stamp / fingerprint[:16]
        self.fingerprint = fingerprint
        self.config = config
        self._ready = False
        self._codes: dict[frozenset[str], str] = {}
        self._touch_before = time.time() - _DAY  # entries last touched before this are touched on read

    @classmethod
    def open(cls, folder: Path, registry: Registry, config: Config, site: bool, keep_text: bool = False) -> ResultCache:
        """The cache for a run; one that keeps the pages' text (`keep_text`) has entries of its own, holding it."""
        return cls(folder, run_fingerprint(registry, config, site, keep_text), config, code_fingerprint(registry))

    # --- keys ---------------------------------------------------------------------

    def key(self, source: PageSource, data: bytes) -> str:
        """The key of a page's result: its bytes and everything else the page phase reads."""
        path = source.path
        selected = self.config.rules_for(path)
        codes = self._codes.get(selected)
        if codes is None:
            codes = self._codes[selected] = ",".join(sorted(selected))
        # The path as reports name it: a message may name the page (IO001 does), so a page
        # reported under another name (from another working folder) is audited again.
        head = "\0".join((self.fingerprint, path, source.fmt or "", source.charset or "", codes))
        digest = hashlib.blake2b(head.encode("utf-8", "surrogatepass"), digest_size=20)
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.entries / key[:2] / f"{key}.json"

    # --- reading ------------------------------------------------------------------

    def get(self, key: str, path: str, registry: Registry) -> FileResult | None:
        """The cached result for `key`, reported under `path`; None when there is no usable entry."""
        entry = self._entry(key)
        try:
            with open(entry, "rb") as handle:
                raw = handle.read()
                if os.fstat(handle.fileno()).st_mtime < self._touch_before:
                    os.utime(entry)  # read today: not stale for STALE_DAYS more (see `prune`)
        except OSError:
            return None
        try:
            return _decode(json.loads(raw), key, path, registry)
        except Exception:  # a corrupt or foreign entry is a miss, whatever is wrong with it
            return None

    # --- writing ------------------------------------------------------------------

    def put(self, key: str, result: FileResult) -> None:
        """Store a result; a cache that cannot be written is skipped without a word."""
        try:
            document = _encode(result, key)
        except _Unstorable:
            return  # a signature the cache cannot hold as plain data: audit that page every time
        try:
            self._prepare()
            target = self._entry(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{key[:8]}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(document)
                os.replace(temporary, target)
            except BaseException:
                _remove(temporary)
                raise
        except OSError:
            pass

    def _prepare(self) -> None:
        if self._ready:
            return
        self.entries.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# made by auditor\n*\n")):
            marker = self.folder / name
            if not marker.exists():
                with contextlib.suppress(OSError):
                    marker.write_text(text, encoding="utf-8")
        self._ready = True

    # --- pruning ------------------------------------------------------------------

    def prune(self, now: float | None = None) -> None:
        """Remove what no run will read again (see the module's docstring). Never raises: a cache
        that cannot be pruned is left as it is."""
        if not (self.folder / "CACHEDIR.TAG").is_file():
            return  # not made by this module, or nothing written yet
        with contextlib.suppress(OSError):
            self._prune(time.time() if now is None else now)

    def _prune(self, now: float) -> None:
        current = self.folder / f"v{FORMAT}"
        # Deleting a big folder takes a millisecond an entry on some disks: what is left past the
        # budget is left for the next runs.
        deadline = time.perf_counter() + REMOVAL_BUDGET
        for other in _listing(self.folder):
            if other.name[:1] == "v" and other.name[1:].isdigit() and other != current and other.is_dir():
                _remove_until(other, deadline)  # another layout's entries
        for stamp in _listing(current):
            if stamp.name != self.stamp and stamp.is_dir():
                _remove_until(stamp, deadline)  # another version's or code's entries
        own = current / self.stamp
        if self.entries.is_dir():
            (self.entries / ".used").touch()
        stale = now - STALE_DAYS * _DAY
        settings = sorted(
            ((_mtime(folder / ".used", folder), folder) for folder in _listing(own) if folder.is_dir()),
            reverse=True,
        )
        for rank, (used, folder) in enumerate(settings):
            if rank >= KEEP_SETTINGS or used < stale:
                # Whole, past the budget: a run makes at most one settings folder, so evicting one
                # costs about what writing it did, and leaving part of it would let the cache grow.
                shutil.rmtree(folder, ignore_errors=True)
        scanned = own / ".scanned"
        if own.is_dir() and _mtime(scanned, None) < now - _DAY:
            for entry in own.glob("*/*/*.json"):
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < stale:
                        entry.unlink()
            scanned.touch()

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_ready": False}


def _remove_until(folder: Path, deadline: float) -> None:
    """Delete `folder` and what it holds, bottom up, until `deadline` (of `time.perf_counter`)."""
    for parent, _, files in os.walk(folder, topdown=False):
        for name in files:
            if time.perf_counter() > deadline:
                return
            _remove(os.path.join(parent, name))
        with contextlib.suppress(OSError):
            os.rmdir(parent)


def _listing(folder: Path) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(folder)]
    except OSError:
        return []


def _mtime(path: Path, fallback: Path | None) -> float:
    """When `path` was last modified; `fallback`'s time when it does not exist (0 without a fallback)."""
    for candidate in (path, fallback):
        if candidate is not None:
            with contextlib.suppress(OSError):
                return candidate.stat().st_mtime
    return 0.0


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


# --- the run's fingerprint ----------------------------------------------------------


def code_fingerprint(registry: Registry) -> str:
    """The code's part of the run's fingerprint: what no config can change, the cache's stamp folder."""
    text = json.dumps(_code_state(registry), ensure_ascii=False, sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _code_state(registry: Registry) -> dict[str, Any]:
    checks = sorted(
        (check.name, check.prefix, check.version, *registry.provider(check.name)) for check in registry.checks
    )
    return {
        "format": FORMAT,
        "auditor": __version__,
        "code": _code_stamp(),
        "plugins": _plugin_stamp(registry),
        "python": list(sys.version_info[:2]),
        "byteorder": sys.byteorder,
        "checks": checks,
        "segmenter": _segmenter(),
    }


def run_fingerprint(registry: Registry, config: Config, site: bool, keep_text: bool = False) -> str:
    """Everything a page's result depends on that is the same for every page of the run."""
    state = {
        **_code_state(registry),
        "site": site,
        "text": keep_text,
        "severities": sorted((code, severity.value) for code, severity in config.severities.items()),
        "options": sorted((code, sorted(options.items())) for code, options in config.options.items()),
        "watch": list(config.watch_terms),
        "allow": list(config.allow_terms),
        # Keys hold each page's own selection already; these make a run with another selection or
        # limits use a settings folder of its own, which pruning can drop whole (see `prune`).
        "selected": sorted(config.selected),
        "per-file-ignores": [[glob, sorted(codes)] for glob, codes in config.per_file_ignores],
        "limits": repr(config.limits),
    }
    text = json.dumps(state, ensure_ascii=False, sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _code_stamp() -> str:
    """Size and modification time of every file of the installed auditor package."""
    return _stamp(Path(__file__).parent)


def _plugin_stamp(registry: Registry) -> list[list[str]]:
    """A stamp of the files of every check installed from outside this package, so that an
    editable install of a plugin is never served results of its older code either."""
    own = Path(__file__).parent
    roots: set[Path] = set()
    for check in registry.checks:
        for rule in check.rules:
            module = sys.modules.get(rule.__module__)
            where = getattr(module, "__file__", None)
            if where is None:
                continue
            path = Path(where).resolve()
            # A package's folder (its data files too); a lone module is its folder's one file that counts.
            root = path.parent if path.name == "__init__.py" else path
            if own not in root.parents and root != own:
                roots.add(root)
    return sorted([str(root), _stamp(root)] for root in roots)


def _stamp(root: Path) -> str:
    """Size and modification time of the code and data files under `root` (or of `root`, a file)."""
    digest = hashlib.blake2b(digest_size=16)
    if root.is_file():
        stat = root.stat()
        digest.update(f"{root.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        return digest.hexdigest()
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".txt", ".toml")):
                stat = os.stat(os.path.join(folder, name))
                digest.update(
                    f"{os.path.relpath(os.path.join(folder, name), root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode()
                )
    return digest.hexdigest()


def _segmenter() -> str:
    name = segmenter.name()
    try:
        from importlib.metadata import version

        return f"{name} {version(name)}"
    except Exception:
        return name


# --- entries as plain data ------------------------------------------------------------


class _Unstorable(Exception):
    """A value the cache cannot write as plain data."""


def _encode(result: FileResult, key: str) -> bytes:
    document = {
        "auditor-cache": FORMAT,
        "key": key,
        "format": result.format,
        "language": result.language,
        "findings": [
            [
                f.rule,
                f.severity.value,
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                f.message,
                f.evidence,
                [[s.block, s.start, s.end, s.label, s.term] for s in f.spans],
                f.member,
            ]
            for f in result.findings
        ],
        "text": None if result.text is None else _text_data(result.text),
        "signatures": [[code, _plain(value)] for code, value in result.signatures.items()],
        "suppressions": None if result.suppressions is None else _plain(result.suppressions),
        "verdict": None if result.verdict_due is None else result.verdict_due.value,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _decode(document: Any, key: str, path: str, registry: Registry) -> FileResult:
    if not isinstance(document, dict) or document.get("auditor-cache") != FORMAT or document.get("key") != key:
        raise ValueError("not an entry of this cache for this key")
    fmt, language = document["format"], document["language"]
    if not all(isinstance(value, str) for value in (fmt, language)):
        raise ValueError("format and language must be strings")
    findings = []
    for rule, severity, line, column, end_line, end_column, message, evidence, marks, member in document["findings"]:
        registered = registry.rules[rule]
        if not all(type(n) is int for n in (line, column, end_line, end_column)):
            raise ValueError("positions must be integers")
        if not all(isinstance(value, str) for value in (message, evidence, member)):
            raise ValueError("message, evidence and member must be strings")
        spans = tuple(_span(mark) for mark in marks)
        findings.append(
            Finding(
                rule=registered.code,
                name=registered.name,
                check=registered.check.name,
                severity=Severity(severity),
                path=path,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                message=message,
                evidence=evidence,
                spans=spans,
                member=member,
            )
        )
    text = document["text"]
    rebuild = _rebuilder(registry)
    signatures = {}
    for code, value in document["signatures"]:
        if code not in registry.rules:
            raise ValueError(f"no rule {code!r}")
        signatures[code] = rebuild(value)
    suppressions = document["suppressions"]
    if suppressions is not None:
        suppressions = rebuild(suppressions)
        if not isinstance(suppressions, Suppressions):
            raise ValueError("suppressions of the wrong type")
    verdict = document.get("verdict")
    verdict_due = None if verdict is None else Severity(verdict)
    result = FileResult(path, fmt, language, findings, signatures, suppressions, verdict_due)
    result.text = None if text is None else _text(text)
    return result


def _span(mark: Any) -> Span:
    block, start, end, label, term = mark
    if not all(type(n) is int for n in (block, start, end)) or not isinstance(label, str) or not isinstance(term, str):
        raise ValueError("a span is three integers and two strings")
    return Span(block, start, end, label, term)


def _text_data(text: PageText) -> dict[str, Any]:
    density = text.density
    return {
        "lines": [[n, line] for n, line in text.lines.items()],
        "title": text.title,
        "blocks": [[b.kind, b.text, b.line, b.column, b.level] for b in text.blocks],
        "omitted": text.omitted,
        "headings": [list(heading) for heading in text.headings],
        "density": None
        if density is None
        else [
            density.total,
            [[b.label, b.count, b.share, b.severity and b.severity.value, b.limit, b.note] for b in density.bars],
            density.limit,
            density.error_limit,
            density.min_words,
        ],
    }


def _text(data: Any) -> PageText:
    """A page's kept text from its entry; wrong types raise, and the entry is a miss."""
    blocks = [
        Block(_str(kind), _str(body), _int(line), _int(column), _int(level))
        for kind, body, line, column, level in data["blocks"]
    ]
    headings = [
        (_int(level), _str(body), None if index is None else _int(index)) for level, body, index in data["headings"]
    ]
    density = None
    if data["density"] is not None:
        total, bars, limit, error_limit, min_words = data["density"]
        density = Density(
            _int(total),
            [
                TermBar(
                    _str(label),
                    _int(count),
                    float(share),
                    None if sev is None else Severity(sev),
                    float(lim),
                    _str(note),
                )
                for label, count, share, sev, lim, note in bars
            ],
            float(limit),
            float(error_limit),
            _int(min_words),
        )
    lines = {_int(n): _str(line) for n, line in data["lines"]}
    return PageText(lines, _str(data["title"]), blocks, _int(data["omitted"]), headings, density)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("not an integer")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


_rebuilders: dict[int, tuple[Registry, _Rebuilder]] = {}


def _rebuilder(registry: Registry) -> _Rebuilder:
    found = _rebuilders.get(id(registry))
    if found is None or found[0] is not registry:
        found = _rebuilders[id(registry)] = (registry, _Rebuilder(registry))
    return found[1]


def _plain(value: Any) -> Any:
    """A value as JSON: JSON arrays are tuples, other containers and records are one-key objects."""
    if value is None or (isinstance(value, (bool, int, float, str)) and not isinstance(value, Enum)):
        return value
    if isinstance(value, Enum):
        return {"E": [type(value).__module__, type(value).__qualname__, _plain(value.value)]}
    if isinstance(value, array):
        return {"A": [value.typecode, base64.b64encode(value.tobytes()).decode("ascii")]}
    if isinstance(value, (bytes, bytearray)):
        return {"B": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):  # a named tuple
        kind = type(value)
        return {"C": [kind.__module__, kind.__qualname__, [_plain(v) for v in value]]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        fields = [f.name for f in dataclasses.fields(value) if f.init]
        return {"C": [kind.__module__, kind.__qualname__, [_plain(getattr(value, name)) for name in fields]]}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return {"L": [_plain(v) for v in value]}
    if isinstance(value, frozenset):
        return {"F": [_plain(v) for v in value]}
    if isinstance(value, set):
        return {"S": [_plain(v) for v in value]}
    if isinstance(value, dict):
        return {"D": [[_plain(k), _plain(v)] for k, v in value.items()]}
    raise _Unstorable(type(value).__name__)


_ATOMS = (str, int, float, bool, type(None))


class _Rebuilder:
    """Plain data back into values. Records are rebuilt only as dataclasses or named tuples defined
    in modules already loaded by the auditor or one of its installed checks."""

    def __init__(self, registry: Registry) -> None:
        packages = {"auditor"}
        for check in registry.checks:
            for rule in check.rules:
                packages.add(rule.__module__.split(".")[0])
        self.packages = packages
        self._classes: dict[tuple[str, str], tuple[Any, list[str] | None]] = {}

    def __call__(self, value: Any) -> Any:
        kind = type(value)
        if kind in _ATOMS:
            return value
        if kind is list:  # a tuple; most hold only numbers and strings
            return tuple(v if type(v) in _ATOMS else self(v) for v in value)
        if kind is not dict or len(value) != 1:
            raise ValueError("not an encoded value")
        ((tag, body),) = value.items()
        if tag == "C":
            module, name, fields = body
            record, names = self._record(module, name)
            values = [v if type(v) in _ATOMS else self(v) for v in fields]
            if names is None:
                return record(*values)
            if len(names) != len(values):
                raise ValueError("wrong number of fields")
            return record(**dict(zip(names, values, strict=True)))
        if tag == "A":
            typecode, data = body
            if typecode not in "bBhHiIlLqQfd":
                raise ValueError("unknown array type")
            return array(typecode, base64.b64decode(data, validate=True))
        if tag == "L":
            return [self(v) for v in body]
        if tag == "F":
            return frozenset(self(v) for v in body)
        if tag == "S":
            return {self(v) for v in body}
        if tag == "D":
            return {self(k): self(v) for k, v in body}
        if tag == "B":
            return base64.b64decode(body, validate=True)
        if tag == "E":
            module, name, raw = body
            enum = self._class(module, name)
            if not (isinstance(enum, type) and issubclass(enum, Enum)):
                raise ValueError("not an enum")
            return enum(self(raw))
        raise ValueError(f"unknown tag {tag!r}")

    def _record(self, module: Any, name: Any) -> tuple[Any, list[str] | None]:
        """A record class and its field names (None: a named tuple, built from positions)."""
        key = (module, name)
        if key not in self._classes:
            record = self._class(module, name)
            if isinstance(record, type) and issubclass(record, tuple) and hasattr(record, "_fields"):
                self._classes[key] = (record, None)
            elif isinstance(record, type) and dataclasses.is_dataclass(record):
                self._classes[key] = (record, [f.name for f in dataclasses.fields(record) if f.init])
            else:
                raise ValueError("not a record type")
        return self._classes[key]

    def _class(self, module: Any, name: Any) -> Any:
        if not isinstance(module, str) or not isinstance(name, str) or "<" in name:
            raise ValueError("bad class name")
        if module.split(".")[0] not in self.packages:
            raise ValueError(f"{module} is not a module of the auditor or an installed check")
        found: Any = sys.modules[module]  # looked up among loaded modules, never imported
        for part in name.split("."):
            found = getattr(found, part)
        return found


def entries(folder: Path) -> Iterable[Path]:
    """Every entry file of a cache folder (for tests and tools)."""
    return sorted((Path(folder) / f"v{FORMAT}").glob("*/*/*/*.json"))
