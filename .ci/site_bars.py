"""CI guard for the site-level bars of issue 3, on the real sites in ../shared/sites.

- honest sites (weekly, elmagnificogi, vite-docs) audited as one run: at most 1% of pages with any error;
- the nltoday farm: every page that carries its injected store link has an error.
Exits 1 when a bar is missed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

SITES = Path(__file__).resolve().parents[2] / "shared" / "sites"
STORE_LINK = re.compile(r"https?://[\w.-]*(?:fi\.io\.vn|mysenprints\.com|yt\.io\.vn)")


def audit(*folders: str) -> list[dict]:
    argv = [sys.executable, "-m", "auditor", "check", *(str(SITES / f) for f in folders), "--format", "json"]
    return json.loads(subprocess.run(argv, capture_output=True, text=True, check=False).stdout)["files"]


def has_error(entry: dict) -> bool:
    return any(f["severity"] == "error" for f in entry["findings"])


def main() -> None:
    honest = audit("weekly", "elmagnificogi", "vite-docs")
    flagged = sum(map(has_error, honest))
    print(f"honest sites: {flagged} of {len(honest)} pages with an error (bar: at most 1%)")
    farm = audit("nltoday")
    carrying = [e for e in farm if STORE_LINK.search(Path(e["path"]).read_text(encoding="utf-8", errors="replace"))]
    missed = [e["path"] for e in carrying if not has_error(e)]
    print(f"nltoday: {len(carrying) - len(missed)} of {len(carrying)} pages with the store link have an error")
    if flagged > 0.01 * len(honest) or missed or not carrying:
        sys.exit(1)


if __name__ == "__main__":
    main()
