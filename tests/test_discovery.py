"""Which files a run audits: suffixes, skipped folders, .gitignore, excludes, order."""

from __future__ import annotations

from pathlib import Path

from auditor.config import Config
from auditor.input.discovery import discover


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# page\n", encoding="utf-8")


def test_pages_are_found_recursively_in_sorted_order(tmp_path: Path) -> None:
    touch(tmp_path, "b.md", "a/z.html", "a/y.htm", "c.markdown", "notes.txt", "img.png")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in discover([str(tmp_path)], Config(root=tmp_path))]
    assert found == ["a/y.htm", "a/z.html", "b.md", "c.markdown"]


def test_git_node_modules_gitignore_and_excludes_are_skipped(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "keep.md",
        ".git/x.md",
        "node_modules/pkg/readme.md",
        "build/out.html",
        "drafts/wip.md",
        "sub/secret.md",
        "sub/ok.md",
    )
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    (tmp_path / "sub" / ".gitignore").write_text("secret.md\n", encoding="utf-8")
    config = Config(root=tmp_path, exclude=("drafts",))
    found = [Path(p).relative_to(tmp_path).as_posix() for p in discover([str(tmp_path)], config)]
    assert found == ["keep.md", "sub/ok.md"]


def test_a_file_named_explicitly_is_always_audited(tmp_path: Path) -> None:
    touch(tmp_path, "page.txt")
    assert discover([str(tmp_path / "page.txt")], Config(root=tmp_path)) == [str(tmp_path / "page.txt")]
