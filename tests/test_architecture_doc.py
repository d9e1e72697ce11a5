"""ARCHITECTURE.md names real code: every ``path.py:name`` it gives exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMED = re.compile(r"`(okrate_tui/[\w/]+\.py):([\w.]+)`")


def _defined(path: Path, dotted: str) -> bool:
    """Is ``dotted`` (``name`` or ``Class.method``) defined at the top of ``path``?"""
    scope: list[ast.stmt] = ast.parse(path.read_text(encoding="utf-8")).body
    for part in dotted.split("."):
        found = None
        for node in scope:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == part:
                found = node
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == part for t in targets):
                    found = node
        if found is None:
            return False
        scope = found.body if isinstance(found, ast.ClassDef) else []
    return True


def test_every_name_in_the_architecture_note_exists() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = NAMED.findall(text)
    assert len(named) >= 16, "the two paths are named step by step"
    missing = [
        f"{path}:{name}" for path, name in named if not (ROOT / path).is_file() or not _defined(ROOT / path, name)
    ]
    assert missing == []


def test_the_check_sees_a_wrong_name(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("class A:\n    def b(self):\n        pass\nC = 1\n")
    assert _defined(module, "A.b") and _defined(module, "C")
    assert not _defined(module, "A.c") and not _defined(module, "b")
