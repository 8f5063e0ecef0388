"""A folder of hostile input: every kind of bad file issue 6 lists, built on demand.

`build(folder)` writes the cases into `folder` and returns, for each page the
audit should report, its path relative to `folder` (as reports print it) and
what makes it hostile, with the io rules it must get under the default limits. Some cases need the file system's help (a
folder without permission, a file name that is not UTF-8); where the file
system or the user (root reads everything) does not allow one, it is left out
and `skipped` says why.

    python -m tests.hostile DIR     build the cases in DIR, to try `auditor check DIR` by hand
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path

MB = 1024 * 1024

ENGLISH = (
    "Our team tested the router for two weeks in a small flat and a three-storey house. "
    "Throughput held steady on the second floor, and the mesh handover took under a second.\n\n"
)
CHINESE = "我们在小公寓和三层住宅里测试了这台路由器两周。二楼的速度稳定，切换节点不到一秒。\n\n"


@dataclass
class HostileTree:
    root: Path
    # Relative path, as reports print it -> (why the page is hostile, the io rules it must get).
    # Each should get one report entry.
    pages: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    # Cases the platform did not allow, with the reason.
    skipped: dict[str, str] = field(default_factory=dict)
    # Folders that were made unreadable, to give their permission back after the run.
    locked: list[Path] = field(default_factory=list)

    def unlock(self) -> None:
        for folder in self.locked:
            folder.chmod(0o755)


def _write(tree: HostileTree, name: str, data: bytes, why: str, *codes: str) -> None:
    (tree.root / name).write_bytes(data)
    tree.pages[name] = (why, set(codes))


def nested_html(depth: int) -> bytes:
    """`depth` nested <b> elements around a paragraph: 700 KB for 100,000 levels, under the default size limit."""
    return b"<html><body>" + b"<b>" * depth + b"<p>deep text</p>" + b"</b>" * depth + b"</body></html>\n"


def many_links(count: int) -> bytes:
    lines = [f"- [shop {i}](https://shop{i % 97}.example/item/{i}?utm_source=x&ref=aff{i})" for i in range(count)]
    return ("# Links\n\n" + "\n".join(lines) + "\n").encode()


def yaml_bomb() -> bytes:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return ("---\ntitle: A bomb\n" + "\n".join(levels) + "\n---\n\n" + ENGLISH).encode()


def build(root: Path, big: bool = True) -> HostileTree:
    """Write every hostile case into `root` (made if missing). `big=False` leaves out the 50 MB page."""
    root.mkdir(parents=True, exist_ok=True)
    tree = HostileTree(root)
    _write(
        tree, "binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "a PNG named .md", "IO001"
    )
    bad_bytes = ("# Café notes\n\n" + ENGLISH).encode() + b"broken \xff\xfe\x80 bytes\n"
    _write(tree, "invalid-utf8.md", bad_bytes, "bytes that are not UTF-8", "IO007")
    _write(tree, "utf16-no-bom.md", ("# Router review\n\n" + ENGLISH).encode("utf-16-le"), "UTF-16 LE, no BOM", "IO007")
    _write(tree, "utf16be-no-bom.html", ("<p>" + ENGLISH + "</p>").encode("utf-16-be"), "UTF-16 BE, no BOM", "IO007")
    mixed = ("# 路由器测评\n\n" + CHINESE * 3).encode("utf-8") + CHINESE.encode("gbk") + ENGLISH.encode()
    _write(tree, "mixed-encodings.md", mixed, "UTF-8 with a GBK paragraph", "IO007")
    _write(
        tree, "bom-then-garbage.md", codecs.BOM_UTF8 + b"# T\n\xff\xfe\xfd\n", "a UTF-8 BOM, then bad bytes", "IO007"
    )
    _write(tree, "empty.md", b"", "zero bytes", "IO008")
    _write(tree, "whitespace-only.md", b"\n \n\t\n", "only whitespace")
    if big:
        _write(tree, "huge.md", ("# Huge\n\n" + ENGLISH * (50 * MB // len(ENGLISH))).encode(), "a 50 MB page", "IO003")
    _write(tree, "one-long-line.md", b"word " * MB, "a single 5 MB line", "IO003")
    _write(tree, "deep.html", nested_html(100_000), "HTML nested 100,000 levels", "IO004")
    _write(tree, "deep-in-markdown.md", b"# Deep\n\n" + nested_html(100_000), "raw HTML 100,000 deep", "IO004")
    _write(tree, "deep-quotes.md", b"> " * 5_000 + b"quoted text\n", "quotes nested 5,000 levels", "IO004")
    deep_lists = b"".join(b"  " * i + b"- item\n" for i in range(500))
    _write(tree, "deep-lists.md", deep_lists, "lists nested 500 levels", "IO004")
    _write(tree, "many-links.md", many_links(200_000), "200,000 links", "IO003", "IO005")
    one_line = b"<p>" + b"".join(b'<a href="https://t.me/shop%d">go</a> ' % i for i in range(200_000)) + b"</p>"
    _write(tree, "many-links.html", one_line, "200,000 links on one line", "IO003", "IO005")
    _write(tree, "bad-yaml.md", b'---\ntitle: "unclosed\n  - : [\n---\n\nBody.\n', "invalid YAML", "IO002")
    _write(tree, "bad-toml.md", b"+++\ntitle = = 3\n+++\n\nBody.\n", "invalid TOML", "IO002")
    _write(tree, "yaml-bomb.md", yaml_bomb(), "a YAML alias bomb", "IO002")
    _write(tree, "yaml-deep.md", b"---\nx: " + b"[" * 50_000 + b"\n---\n\nBody.\n", "YAML nested 50,000 deep", "IO002")
    _write(tree, "unclosed-front-matter.md", b"---\ntitle: open\n" + b"x: y\n" * 1000, "front matter never closed")
    _write(tree, "template-tags.md", b"{%" * 200_000 + b"\n", "200,000 unclosed template tags")
    _write(tree, "nul-in-middle.md", ENGLISH.encode() * 200 + b"\x00" + ENGLISH.encode(), "a NUL byte deep inside")
    _write(tree, "fake-charset.html", b'<meta charset="x-no-such">' + "<p>正文</p>".encode("gbk"), "an unknown charset")

    # A file that vanished: the link is still there, its target is gone.
    (tree.root / "vanished.md").symlink_to(tree.root / "gone-target.md")
    tree.pages["vanished.md"] = ("a dangling symlink (the file vanished)", {"IO001"})
    # Symlink loops: a file pair pointing at each other, and a folder pointing at its parent.
    (tree.root / "loop-a.md").symlink_to("loop-b.md")
    (tree.root / "loop-b.md").symlink_to("loop-a.md")
    tree.pages["loop-a.md"] = ("a symlink loop", {"IO001"})
    tree.pages["loop-b.md"] = ("a symlink loop", {"IO001"})
    (tree.root / "sub").mkdir()
    _write(tree, "sub/ok.md", ("# Fine\n\n" + ENGLISH).encode(), "an ordinary page beside a folder loop")
    (tree.root / "sub" / "parent-loop").symlink_to("..", target_is_directory=True)
    # A FIFO with a page's name: opening it would wait for a writer forever.
    os.mkfifo(tree.root / "fifo.md")
    tree.pages["fifo.md"] = ("a FIFO named .md", {"IO001"})

    locked = tree.root / "locked"
    locked.mkdir()
    (locked / "secret.md").write_bytes(("# Secret\n\n" + ENGLISH).encode())
    locked.chmod(0)
    tree.locked.append(locked)
    if os.access(locked, os.R_OK):
        tree.skipped["locked"] = "this user (root) can list a folder without permission"
        tree.pages["locked/secret.md"] = ("a page in a folder without permission, readable by root", set())
    else:
        tree.pages["locked"] = ("a folder without read permission", {"IO001"})

    raw_name = b"latin1-caf\xe9.md"
    try:
        with open(os.fsencode(tree.root) + b"/" + raw_name, "wb") as handle:
            handle.write(("# Café\n\n" + ENGLISH).encode())
        tree.pages["latin1-caf\\xe9.md"] = ("a file name that is not UTF-8", {"IO009"})
    except (OSError, UnicodeError) as exc:
        tree.skipped[repr(raw_name)] = f"the file system refused the name: {exc}"
    return tree
