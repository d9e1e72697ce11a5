"""The core never imports Textual; scripted CLI calls do not either."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import okrate_tui

CORE = Path(okrate_tui.__file__).parent / "core"


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_importing_core_leaves_textual_unimported() -> None:
    modules = _modules_after(
        "import okrate_tui.core\n"
        "import pkgutil, importlib\n"
        "for m in pkgutil.walk_packages(okrate_tui.core.__path__, 'okrate_tui.core.'):\n"
        "    importlib.import_module(m.name)"
    )
    assert "okrate_tui.core.services.tasks" in modules
    assert not {m for m in modules if m == "textual" or m.startswith("textual.")}


def test_scripted_cli_does_not_import_textual() -> None:
    modules = _modules_after("from okrate_tui.cli.main import build_parser\nbuild_parser()")
    assert "okrate_tui.cli.tasks" in modules
    assert "textual" not in modules


def test_no_core_module_names_textual_or_the_ui() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "textual" or "okrate_tui.ui" in n]
    assert offenders == []


def test_the_ui_reads_and_writes_only_through_the_core() -> None:
    """UI modules never import Peewee, the models or raw SQL: they call services and queries."""
    ui = Path(okrate_tui.__file__).parent / "ui"
    banned = (
        "peewee",
        "playhouse",
        "okrate_tui.core.models",
        "okrate_tui.core.queries.sql",
        "sqlite3",
    )
    offenders = []
    for path in ui.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for block in ast.walk(tree):  # imports for type annotations only do not count
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test):
                block.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(banned)]
    assert offenders == []


def test_no_core_module_imports_the_demo_generator() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("okrate_tui.demo"):
                offenders.append(f"{path.name}: {node.module}")
            if isinstance(node, ast.Import):
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("okrate_tui.demo")]
    assert offenders == []


def test_no_ui_module_imports_the_app_at_run_time() -> None:
    """Views reach the session through the store and its events, never through the app
    module (imports for type annotations only do not count)."""
    ui = Path(okrate_tui.__file__).parent / "ui"
    offenders = []
    for path in ui.rglob("*.py"):
        if path.name == "app.py":
            continue
        tree = ast.parse(path.read_text())
        for block in ast.walk(tree):
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test):
                block.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "okrate_tui.ui.app":
                offenders.append(path.name)
            if isinstance(node, ast.Import) and any(a.name == "okrate_tui.ui.app" for a in node.names):
                offenders.append(path.name)
    assert offenders == []


def test_the_ui_uses_no_private_textual_api() -> None:
    """Textual's private names (a leading underscore) change without notice."""
    ui = Path(okrate_tui.__file__).parent / "ui"
    private = ("_modal_binding_chain", "_tree_nodes", "_character_to_key", "_tree_lines", "_compositor")
    offenders = [f"{path.name}: {name}" for path in ui.rglob("*.py") for name in private if name in path.read_text()]
    assert offenders == []
