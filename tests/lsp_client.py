"""A small LSP client for tests: runs `python -m auditor server` and speaks JSON-RPC to it over stdio.

Messages are framed as LSP frames them (`Content-Length: N\\r\\n\\r\\n` then N
bytes of JSON). A reader thread turns the server's output into messages on a
queue; every wait has a timeout, so a server that hangs fails the test
instead of blocking it.
"""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

Message = dict[str, Any]
TIMEOUT = 20.0  # seconds; generous for a loaded CI machine, short of a hang


class LspClient:
    def __init__(self, cwd: Path | None = None, stderr: IO[bytes] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "auditor", "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr if stderr is not None else subprocess.DEVNULL,
            cwd=cwd,
        )
        self._ids = itertools.count(1)
        self._inbox: queue.Queue[Message | None] = queue.Queue()
        self._unclaimed: list[Message] = []  # received, not yet asked for
        self.capabilities: Message = {}  # the server's, once initialized
        threading.Thread(target=self._read, daemon=True).start()

    # Sending ─────────────────────────────────────────────────────────────

    def notify(self, method: str, params: Any = None, flush: bool = True) -> None:
        """Send a notification; `flush=False` holds it back to go out with the next message."""
        self._send({"jsonrpc": "2.0", "method": method, "params": params}, flush)

    def request(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> Any:
        """Send a request and return its result (an error response fails the test)."""
        number = next(self._ids)
        self._send({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
        reply = self.receive(lambda m: m.get("id") == number and "method" not in m, timeout)
        assert "error" not in reply, reply["error"]
        return reply.get("result")

    def _send(self, message: Message, flush: bool = True) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        if flush:
            self.process.stdin.flush()

    # Receiving ───────────────────────────────────────────────────────────

    def receive(self, wanted: Callable[[Message], bool], timeout: float = TIMEOUT) -> Message:
        """The first message, received or still to come, for which `wanted` is true."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self._unclaimed:
                if wanted(message):
                    self._unclaimed.remove(message)
                    return message
            left = deadline - time.monotonic()
            try:
                message = self._inbox.get(timeout=max(left, 0))
            except queue.Empty:
                raise AssertionError(f"no such message within {timeout} s; got {self._unclaimed}") from None
            if message is None:
                raise AssertionError(f"the server closed its output (exit code {self.process.poll()})")
            if "method" in message and "id" in message:  # a request from the server: accept it
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            self._unclaimed.append(message)

    def notification(self, method: str, timeout: float = TIMEOUT, **params: Any) -> Any:
        """The params of the next `method` notification whose params include `params`."""

        def wanted(message: Message) -> bool:
            got = message.get("params") or {}
            return message.get("method") == method and all(got.get(k) == v for k, v in params.items())

        return self.receive(wanted, timeout)["params"]

    def diagnostics(self, uri: str, timeout: float = TIMEOUT) -> list[Message]:
        return self.notification("textDocument/publishDiagnostics", timeout, uri=uri)["diagnostics"]

    def unclaimed(self, method: str) -> list[Message]:
        """Messages of `method` received so far and not yet asked for."""
        while True:
            try:
                message = self._inbox.get_nowait()
            except queue.Empty:
                break
            if message is not None:
                self._unclaimed.append(message)
        return [m for m in self._unclaimed if m.get("method") == method]

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    self._inbox.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            self._inbox.put(json.loads(stream.read(int(headers["content-length"]))))

    # The session ─────────────────────────────────────────────────────────

    def initialize(self, root: Path | None = None) -> Message:
        result = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri() if root else None,
                "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}},
            },
        )
        self.notify("initialized", {})
        self.capabilities = result["capabilities"]
        return result

    def open(self, uri: str, text: str, language: str = "markdown", version: int = 1) -> None:
        document = {"uri": uri, "languageId": language, "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": document})

    def change(self, uri: str, text: str, version: int, flush: bool = True) -> None:
        changes = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}
        self.notify("textDocument/didChange", changes, flush)

    def close(self, timeout: float = TIMEOUT) -> int:
        """shutdown, exit, and the server's exit code."""
        if self.process.poll() is None:
            try:
                self.request("shutdown", timeout=timeout)
                self.notify("exit")
                return self.process.wait(timeout)
            except (AssertionError, BrokenPipeError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode
