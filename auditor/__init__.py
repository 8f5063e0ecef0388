"""auditor: lint the content of static sites for the traits of SEO spam and promo pages.

The Python API (see docs/api.md):

    auditor.audit_paths(paths, config=None, ...) -> Report
    auditor.audit_text(text, filename="page.md", config=None) -> list[Finding]
    auditor.engine.phases: page_phase, site_keys, site_reduce, finish, for engines of your own

Names are imported on first use, so `import auditor` loads no parser, jieba or Dask.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "audit_paths": "auditor.api",
    "audit_stream": "auditor.api",
    "audit_text": "auditor.api",
    "Config": "auditor.config",
    "ConfigError": "auditor.config",
    "FileResult": "auditor.engine.auditor",
    "Finding": "auditor.models",
    "PageSource": "auditor.input.sources",
    "Report": "auditor.report",
    "Settings": "auditor.engine.phases",
    "Severity": "auditor.models",
    "WarcError": "auditor.input.warc",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'auditor' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
