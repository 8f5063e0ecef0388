"""Reading link URLs without fetching them: hosts, registered domains, wrapped targets, codes.

Everything here is parsing with urllib.parse and lookups in the package's
host and parameter lists; no URL is ever requested.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from auditor.models import cached_property  # functools' without its lock: read for every link
from auditor.text import lexicon

PACKAGE = "auditor_checks.promo_links"
# A link written without a scheme but with a host ("www.x.com/…", "t.me/x").
_SCHEMELESS_HOST = re.compile(r"^(?:www\.|[a-z0-9-]+\.(?:me|ly|gg|cn|com|link|io)/)", re.I)
# A referral code in a path: letters and digits, as sign-up links carry them.
# A referral code after /join/: four characters or more, or three capitals or digits ("/join/AWD");
# a short lower-case word there is a page ("/join/us", "/invite/new"), not a code.
_CODE_SEGMENT = re.compile(r"^(?:[A-Za-z0-9_-]{4,40}|[A-Z0-9]{3})$")
_HAS_DIGIT = re.compile(r"\d")


def data(name: str) -> tuple[str, ...]:
    """A language-neutral list (hosts, URL parameters) of this package."""
    return lexicon.words(PACKAGE, name, "any")


@dataclass(frozen=True)
class Url:
    raw: str
    parts: SplitResult
    host: str  # lower-case, without "www." and port; "" for a relative link

    @property
    def path_segments(self) -> list[str]:
        return [s for s in self.parts.path.split("/") if s]

    def params(self) -> list[tuple[str, str]]:
        """Query parameters, including those of a "#/register?code=…" fragment (single-page apps)."""
        return self._params

    @cached_property
    def _params(self) -> list[tuple[str, str]]:  # read by several rules: parsed once
        pairs = parse_qsl(self.parts.query, keep_blank_values=False)
        if "?" in self.parts.fragment:
            pairs += parse_qsl(self.parts.fragment.split("?", 1)[1], keep_blank_values=False)
        return pairs

    @property
    def route(self) -> str:
        """Path plus a fragment route ("/#/register" → "/register"), lower-case."""
        fragment = self.parts.fragment.split("?", 1)[0]
        return (self.parts.path + ("/" + fragment if fragment.startswith("/") else "")).lower()


# Links are read by several rules of a page, and the same links come back on
# page after page of a site: a Url is immutable, so parsing it and the
# readings below are each done once per process (within a bound).
@lru_cache(maxsize=4096)
def parse(url: str) -> Url | None:
    raw = url.strip()
    if not raw or raw.startswith(("mailto:", "tel:", "#", "javascript:")):
        return None
    if "://" not in raw and _SCHEMELESS_HOST.match(raw):
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
    except ValueError:  # a malformed port or bracket: nothing to read
        return None
    if host.startswith("www."):
        host = host[4:]
    return Url(url, parts, host)


@cache
def _two_label_suffixes() -> frozenset[str]:
    return frozenset(data("public_suffixes"))


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """The part of a host someone registers: "store.fi.io.vn" → "fi.io.vn", "a.b.com" → "b.com"."""
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _two_label_suffixes() else 2
    return ".".join(labels[-keep:])


@lru_cache(maxsize=4096)
def wrapped_target(url: Url) -> str | None:
    """The URL a redirect wrapper forwards to ("./302.html?target=https://…"), if any."""
    names = _redirect_params()
    for name, value in url.params():
        if name.lower() in names:
            value = unquote(value).strip()
            if "://" in value or value.lower().startswith("www."):
                # "?target=https://x/#/register?code=C": the target's own route landed in our fragment
                fragment = url.parts.fragment
                return value + "#" + fragment if fragment and "#" not in value else value
    return None


@cache
def _redirect_params() -> frozenset[str]:
    return frozenset(data("redirect_params"))


@cache
def _messaging() -> tuple[tuple[str, str, str], ...]:
    """(kind, host, path prefix) of each messaging link format."""
    rows = []
    for entry in data("messaging_hosts"):
        kind, _, target = entry.partition(" ")
        host, _, prefix = target.strip().partition("/")
        rows.append((kind, host.lower(), "/" + prefix.lower() if prefix else ""))
    return tuple(rows)


@lru_cache(maxsize=4096)
def messaging_contact(url: Url) -> tuple[str, str] | None:
    """(kind, account) when the link opens a chat: ("telegram", "esim1088") for t.me/s/esim1088."""
    path = url.parts.path.lower()
    for kind, host, prefix in _messaging():
        if url.host == host and (path == prefix or path.startswith(prefix + "/") or not prefix):
            rest = [s for s in url.parts.path[len(prefix) :].split("/") if s]
            if rest and rest[0].lower() == "s" and kind == "telegram":  # t.me/s/NAME: channel preview
                rest = rest[1:]
            if rest or prefix:
                return kind, (rest[0] if rest else url.parts.path).lower()
    return None


@lru_cache(maxsize=4096)
def is_shortener(url: Url) -> bool:
    """The host is a listed shortener: exactly, or under a "*.host" entry (its subdomains)."""
    exact, wildcard = _shorteners()
    if url.host in exact:
        return True
    labels = url.host.split(".")
    return any(".".join(labels[i:]) in wildcard for i in range(1, len(labels) - 1))


@cache
def _shorteners() -> tuple[frozenset[str], frozenset[str]]:
    """(exact hosts, domains whose every subdomain is a shortener: the "*.x" entries)."""
    entries = [e.lower() for e in data("shorteners")]
    return frozenset(e for e in entries if not e.startswith("*.")), frozenset(
        e[2:] for e in entries if e.startswith("*.")
    )


@cache
def _affiliate_params() -> frozenset[str]:
    return frozenset(data("affiliate_params"))


@cache
def _affiliate_paths() -> frozenset[str]:
    return frozenset(data("affiliate_paths"))


@lru_cache(maxsize=4096)
def affiliate_code(url: Url) -> str | None:
    """The referral code a sign-up link carries ("ref=2821105", "/join/betrys"), if any.

    A plain "ref=" without a digit is a source tag ("?ref=newsletter"), not a code, except on
    a register/sign-up route ("/join?ref=MAVER"). On such a route (in the path, the fragment
    or a parameter: "?path=register") a "…code" parameter ("code=", "vipCode=") holds the
    code, and so does any parameter whose value is a generated token of letters and digits
    ("/register?channel=c_7o7g8tlk").
    """
    route_words = set(re.split(r"[/.#?_-]+", url.route))
    params = url.params()
    sign_up = bool(route_words & _affiliate_paths()) or any(
        v.lower().strip("/#") in _affiliate_paths() for _, v in params
    )
    for name, value in params:
        key = name.lower()
        if key in _affiliate_params() and (key != "ref" or sign_up or _HAS_DIGIT.search(value)):
            return f"{name}={value}"
        if sign_up and value and (key.endswith("code") or (_is_token(value) and not _is_tracking(key))):
            return f"{name}={value}"
    segments = url.path_segments
    for before, after in itertools.pairwise(segments):
        if before.lower() in _affiliate_paths() and _CODE_SEGMENT.match(after):
            return f"/{before}/{after}"
    return None


# A generated token: 5-20 letters, digits, "_" or "-", with a letter and a digit in it (a UUID
# or a long hash is an id of something else, not a code to type in).
_TOKEN = re.compile(r"^(?=[^0-9]*[0-9])(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9_-]{5,20}$")


def _is_token(value: str) -> bool:
    return _TOKEN.match(value) is not None


def _is_tracking(key: str) -> bool:
    return key.startswith("utm_") or key in _tracking()


def sign_up_code(url: Url) -> str | None:
    """A code on a link that is not on a sign-up route: a "…code=" token ("/#/?code=j1ufpE44")
    or a token right after the short invite segment of a sign-up link ("/r/6UQDZT", "/i/Ab12cd";
    other short segments are a shortener's or a site's own: "/a/10hXH"). An invite code when
    the link's text or its sentence asks the reader to sign up (the caller checks that)."""
    for name, value in url.params():
        if name.lower().endswith("code") and _is_token(value):
            return f"{name}={value}"
    segments = url.path_segments
    if len(segments) == 2 and segments[0].lower() in _SHORT_INVITE and _is_token(segments[1]):
        return f"/{segments[0]}/{segments[1]}"
    return None


_SHORT_INVITE = frozenset({"r", "i"})


def tracking_params(url: Url) -> list[str]:
    known = _tracking()
    return [f"{n}={v}" for n, v in url.params() if n.lower().startswith("utm_") or n.lower() in known]


@cache
def _tracking() -> frozenset[str]:
    return frozenset(data("tracking_params"))
