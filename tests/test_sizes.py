"""The UI stays in files a person can read: none over 500 lines, no class over 400 lines
or 35 methods."""

from __future__ import annotations

import ast
from pathlib import Path

import okrate_tui

UI = Path(okrate_tui.__file__).parent / "ui"
FILE_LINES, CLASS_LINES, CLASS_METHODS = 500, 400, 35


def _oversized() -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(UI.parent)
        if (lines := len(text.splitlines())) > FILE_LINES:
            found.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.ClassDef):
                continue
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            methods = sum(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) for n in node.body)
            if size > CLASS_LINES or methods > CLASS_METHODS:
                found.append(f"{name}: class {node.name}, {size} lines, {methods} methods")
    return found


def test_no_ui_file_or_class_outgrows_its_limit() -> None:
    assert _oversized() == []
