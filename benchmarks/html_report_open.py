"""Open an HTML report in headless Chromium: the time to DOM ready, and screenshots.

    python benchmarks/html_report_open.py report.html [--shot overview.png]
        [--section p-3 --section-shot page.png] [--width 1280] [--height 1000]

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
JSON messages on file descriptors 3 and 4), so nothing but the standard library
is needed, and no port is opened. It prints the report's size, the time from
navigation start to DOMContentLoaded and to load, as the browser measured them
(the median of --repeat fresh loads), and the number of DOM elements.

`--section ID` opens that page's <details> the way a reader does (the address
report.html#ID; the report's script opens it) and `--section-shot` captures
that section alone, whatever its height.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium, spoken to over --remote-debugging-pipe."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="auditor-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:
            # The child reads commands on fd 3 and writes answers on fd 4. os.pipe's
            # descriptors close on exec; the two made by dup2 stay open in chromium.
            read, write = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 120.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read())
        raise TimeoutError(method)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def open_page(browser: Browser, url: str, width: int, height: int) -> str:
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    browser.send("Page.enable", session=session)
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        session=session,
    )
    browser.events.clear()
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired")
    return session


def evaluate(browser: Browser, session: str, expression: str) -> Any:
    result = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
    return result["result"].get("value")


def screenshot(browser: Browser, session: str, path: str, clip: dict[str, float] | None = None) -> None:
    params: dict[str, Any] = {"format": "png"}
    if clip:
        params |= {"clip": {**clip, "scale": 1}, "captureBeyondViewport": True}
    data = browser.send("Page.captureScreenshot", params, session=session)["data"]
    Path(path).write_bytes(base64.b64decode(data))


TIMING = """(() => { const n = performance.getEntriesByType('navigation')[0];
  return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          elements: document.getElementsByTagName('*').length}; })()"""

READY = """(() => { const el = document.getElementById(%s);
  return !!el && !el.querySelector('div.lazy[data-src]') && !/^Unpacking/.test(el.textContent.slice(-40)); })()"""

RECT = """(() => { const el = document.getElementById(%s); if (!el) return null;
  window.scrollTo(0, 0); const r = el.getBoundingClientRect();
  return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height, open: el.open}; })()"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--shot", help="screenshot of the top of the report (the overview)")
    parser.add_argument("--section", help="id of a page section to open, e.g. p-3")
    parser.add_argument("--section-shot", help="screenshot of that section")
    parser.add_argument("--max-height", type=int, default=2400, help="cap on the section screenshot's height")
    args = parser.parse_args()

    binary = chromium()
    if binary is None:
        raise SystemExit("no chromium found (Debian: apt-get install chromium)")
    report = Path(args.report).resolve()
    print(f"report: {report.stat().st_size / 1e6:.1f} MB ({report.stat().st_size:,} bytes)")
    browser = Browser(binary)
    try:
        doms, loads = [], []
        for _ in range(args.repeat):
            session = open_page(browser, report.as_uri(), args.width, args.height)
            timing = evaluate(browser, session, TIMING)
            doms.append(timing["dom"])
            loads.append(timing["load"])
        print(
            f"DOMContentLoaded: {statistics.median(doms) / 1000:.2f} s, load: {statistics.median(loads) / 1000:.2f} s "
            f"(median of {args.repeat}); {timing['elements']:,} elements"
        )
        if args.shot:
            screenshot(browser, session, args.shot)
            print(f"overview screenshot: {args.shot}")
        if args.section:
            session = open_page(browser, f"{report.as_uri()}#{args.section}", args.width, args.height)
            # A large report unpacks the section's text asynchronously after opening it.
            for _ in range(100):
                if evaluate(browser, session, READY % json.dumps(args.section)):
                    break
                time.sleep(0.1)
            rect = evaluate(browser, session, RECT % json.dumps(args.section))
            if rect is None:
                raise SystemExit(f"no element with id {args.section}")
            print(f"section {args.section}: open={rect.get('open')}, {rect['height']:.0f} px tall")
            if args.section_shot:
                clip = {
                    "x": 0,
                    "y": max(rect["y"] - 8, 0),
                    "width": args.width,
                    "height": min(rect["height"] + 16, args.max_height),
                }
                screenshot(browser, session, args.section_shot, clip)
                print(f"section screenshot: {args.section_shot}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
