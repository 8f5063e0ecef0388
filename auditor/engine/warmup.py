"""Getting a long-running process ready before its first page: jieba, parsers, word lists.

The first audit in a process pays for loading jieba's dictionary (about a
second), importing the HTML parser and compiling the word lists into
patterns. A process that serves many audits (the language server) calls
`start()` once, as early as it can, and that work happens on a background
thread while it starts up and talks to its client. An audit that needs
jieba before it is loaded waits for it (jieba's lock loads it once).
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

# Pages audited once at start so that both parsers are imported and the word
# lists of both languages are compiled: English first, as it needs no jieba,
# HTML last, as most sites are written in Markdown.
_ENGLISH = """---
title: The best eSIM top-up guide
---

# What is it?

It is trusted by millions and better than other cards, guaranteed.
Contact us on Telegram: [@example](https://t.me/example) or https://bit.ly/example?utm_source=x
"""
_HTML = "<html><head><title>Guide</title></head><body><h1>Guide</h1><p>The best card.</p></body></html>"
_CHINESE = """# 一、什么是极光卡？

极光卡是一款覆盖全球的电话卡，深受用户喜爱，是出国旅行的首选，比其他电话卡更稳定，永久有效。
总的来说，请加微信号：example2024。
"""

_started = threading.Lock()


def start() -> None:
    """Warm up on a daemon thread, once per process however often called."""
    if _started.acquire(blocking=False):
        threading.Thread(target=warm_up, name="auditor-warm-up", daemon=True).start()


def warm_up() -> None:
    from auditor import text
    from auditor.config import default_config
    from auditor.engine.phases import Settings, build
    from auditor.registry import default_registry

    try:
        registry = default_registry()
        auditor = build(Settings(default_config(registry), site=False), registry)
        auditor.audit_text("warm-up.md", _ENGLISH, "markdown")
        text.preload()
        auditor.audit_text("warm-up.zh.md", _CHINESE, "markdown")
        auditor.audit_text("warm-up.html", _HTML, "html")
    except Exception:  # the real audits will meet and report the same trouble
        log.exception("warming up failed")
